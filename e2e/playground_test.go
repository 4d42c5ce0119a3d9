package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dayline/dayline/internal/lambdaemu"
)

// playgroundSubscriptionStep switches on the browser test's subscription
// step: the OnScheduleChanged tab subscribes over graphql-ws on /graphql
// and shows the event a mutation causes.
const playgroundSubscriptionStep = true

var updatePlaygroundScreenshot = flag.Bool("update-playground-screenshot", false,
	"write the playground test's screenshot to docs/playground.png (for the README)")

// browserDir holds browse.mjs and its pinned puppeteer-core (scripts/test.sh
// runs npm ci there).
const browserDir = "../scripts/playground"

// requireChromium reports whether a missing Chromium is a failure rather
// than a reason to skip: under CI, and under scripts/test.sh (which
// installs Debian's chromium package).
func requireChromium() bool {
	return os.Getenv("CI") == "true" || os.Getenv("DAYLINE_REQUIRE_CHROMIUM") == "1"
}

// browseResult is what browse.mjs prints.
type browseResult struct {
	Blocked             []string `json:"blocked"`
	GraphQLBeforeToken  int      `json:"graphqlBeforeToken"`
	GraphiQLBeforeToken bool     `json:"graphiqlBeforeToken"`
	DevHint             string   `json:"devHint"`
	RefusedToken        struct {
		Message       string `json:"message"`
		GraphiQLShown bool   `json:"graphiqlShown"`
	} `json:"refusedToken"`
	SchemaReady bool `json:"schemaReady"`
	Dashboard   struct {
		Data struct {
			Me struct {
				Name         string `json:"name"`
				Organisation struct {
					Name    string `json:"name"`
					Members struct {
						Items []struct {
							ID     string `json:"id"`
							Name   string `json:"name"`
							Role   string `json:"role"`
							Agenda []struct {
								StartsAt string `json:"startsAt"`
								Task     struct {
									Title string `json:"title"`
								} `json:"task"`
							} `json:"agenda"`
						} `json:"items"`
					} `json:"members"`
				} `json:"organisation"`
			} `json:"me"`
		} `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	} `json:"dashboard"`
	Completions       []string `json:"completions"`
	SubscriptionEvent *struct {
		Data struct {
			OnScheduleChanged struct {
				ID      string       `json:"id"`
				Version int          `json:"version"`
				Tasks   []titledTask `json:"tasks"`
			} `json:"onScheduleChanged"`
		} `json:"data"`
	} `json:"subscriptionEvent"`
	CSPViolations       []string `json:"cspViolations"`
	InlineScriptBlocked bool     `json:"inlineScriptBlocked"`
	PageErrors          []string `json:"pageErrors"`
	ConsoleErrors       []string `json:"consoleErrors"`
	Error               string   `json:"error"`
}

type titledTask struct {
	Title string `json:"title"`
}

// TestPlaygroundInBrowser opens the playground of a standalone server (the
// real binary, `serve --demo` on 127.0.0.1) in headless Chromium, as a
// person would, with every request to another host blocked and counted:
// the page asks for a token before anything reads the schema (and says how
// to mint one in dev mode), a refused token is said so on the form, a demo
// caregiver's token opens it with the schema loaded (autocomplete answers),
// the Dashboard tab answers with the demo organisation, and the
// Content-Security-Policy holds (no violation; an injected inline script
// is refused).
func TestPlaygroundInBrowser(t *testing.T) {
	chromium, node := browserTools(t)
	srv := startDemoServer(t)

	screenshot := filepath.Join(t.TempDir(), "playground.png")
	if *updatePlaygroundScreenshot {
		screenshot, _ = filepath.Abs("../docs/playground.png")
	}
	args := []string{filepath.Join(browserDir, "browse.mjs"),
		"--url", srv.url, "--token", srv.tokens["demo-caregiver"], "--chromium", chromium, "--screenshot", screenshot}
	if playgroundSubscriptionStep {
		args = append(args, "--subscription")
	}
	res := runBrowser(t, node, args)

	if res.Error != "" {
		t.Fatalf("browse.mjs failed: %s", res.Error)
	}
	if len(res.Blocked) != 0 {
		t.Errorf("the page tried to reach %d other hosts (blocked): %q", len(res.Blocked), res.Blocked)
	}
	if res.GraphQLBeforeToken != 0 || res.GraphiQLBeforeToken {
		t.Errorf("before the token was entered: %d requests to /graphql, GraphiQL shown %v; want none", res.GraphQLBeforeToken, res.GraphiQLBeforeToken)
	}
	if !strings.Contains(res.DevHint, "dayline token --user") {
		t.Errorf("dev-mode hint %q does not say how to mint a token", res.DevHint)
	}
	if want := "Dayline refused this token: Unauthorized: malformed token"; res.RefusedToken.Message != want || res.RefusedToken.GraphiQLShown {
		t.Errorf("a refused token: message %q, GraphiQL shown %v; want %q on the form", res.RefusedToken.Message, res.RefusedToken.GraphiQLShown, want)
	}
	if !res.SchemaReady || !slices.Contains(res.Completions, "organisation") {
		t.Errorf("schema ready %v, autocomplete for \"{ me { organ\" offered %q; want organisation", res.SchemaReady, res.Completions)
	}
	checkDashboard(t, res)
	if len(res.CSPViolations) != 0 || !res.InlineScriptBlocked {
		t.Errorf("Content-Security-Policy: violations %q, injected inline script blocked %v", res.CSPViolations, res.InlineScriptBlocked)
	}
	if len(res.PageErrors) != 0 || len(res.ConsoleErrors) != 0 {
		t.Errorf("page errors %q, console errors %q", res.PageErrors, res.ConsoleErrors)
	}
	if playgroundSubscriptionStep {
		ev := res.SubscriptionEvent
		if ev == nil || ev.Data.OnScheduleChanged.ID == "" ||
			!slices.Contains(ev.Data.OnScheduleChanged.Tasks, titledTask{Title: "Playground test"}) {
			t.Errorf("the OnScheduleChanged tab showed %+v; want the schedule with the added task", ev)
		}
	}
}

// checkDashboard checks the Dashboard tab's answer: the demo organisation,
// its four users, each member with an agenda (the demo's evening routine
// applies every day).
func checkDashboard(t *testing.T, res browseResult) {
	t.Helper()
	d := res.Dashboard
	if len(d.Errors) != 0 {
		t.Errorf("dashboard errors: %s", d.Errors)
	}
	if d.Data.Me.Name != "Cato Caregiver" || d.Data.Me.Organisation.Name != "Sunrise Care (demo)" {
		t.Errorf("dashboard of %q in %q; want Cato Caregiver in Sunrise Care (demo)", d.Data.Me.Name, d.Data.Me.Organisation.Name)
	}
	var names []string
	for _, u := range d.Data.Me.Organisation.Members.Items {
		names = append(names, u.Name)
		if u.Role == "MEMBER" && len(u.Agenda) == 0 {
			t.Errorf("member %s has no agenda today", u.ID)
		}
	}
	slices.Sort(names)
	if want := []string{"Ada Admin", "Cato Caregiver", "Noor Member", "Sam Member"}; !slices.Equal(names, want) {
		t.Errorf("members %q, want %q", names, want)
	}
}

// browserTools finds Chromium and node with puppeteer-core installed,
// failing or skipping (see requireChromium and requireNode) without them.
func browserTools(t *testing.T) (chromium, node string) {
	t.Helper()
	var missing []string
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		missing = append(missing, "Chromium (Debian's chromium package; scripts/test.sh installs it)")
	}
	node, err = exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(browserDir, "node_modules", "puppeteer-core", "package.json"))
	}
	if err != nil {
		missing = append(missing, fmt.Sprintf("node with npm ci in scripts/playground (%v)", err))
	}
	if len(missing) == 0 {
		return chromium, node
	}
	msg := "the playground's browser test needs " + strings.Join(missing, " and ")
	if requireChromium() || requireNode() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return "", ""
}

// browserReportMargin is how long before the test's deadline a hanging
// browse.mjs is stopped, to report where it hung (not a budget: a run that
// passes never comes near it).
const browserReportMargin = 30 * time.Second

// runBrowser runs browse.mjs in its own process group, killed with
// Chromium when the test's deadline comes, and decodes what it prints.
func runBrowser(t *testing.T, node string, args []string) browseResult {
	t.Helper()
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		// Stopped a little before go test's own deadline, so that the
		// failure shows how far it got (its steps on stderr).
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-browserReportMargin))
		t.Cleanup(cancel)
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("browse.mjs: %v; its steps (stderr):\n%s", err, stderr.String())
	}
	var res browseResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("browse.mjs printed %q: %v\nstderr:\n%s", stdout.String(), err, stderr.String())
	}
	t.Logf("browse.mjs steps:\n%s", stderr.String())
	return res
}

// demoServer is `dayline serve --demo`, running.
type demoServer struct {
	url    string            // the playground's URL, http://127.0.0.1:PORT/
	tokens map[string]string // the banner's token per demo user id
}

// bannerLine matches one demo user's lines in serve's banner: the role,
// id and email, then the token.
var bannerLine = regexp.MustCompile(`(?m)^  [A-Z]+ +(\S+) +\S+@\S+\n  (\S+)$`)

// startDemoServer builds cmd/dayline and runs `serve --demo` on a free
// port of 127.0.0.1 with a fresh embedded database (in dev mode: the
// banner prints a token per demo user), until the test ends.
func startDemoServer(t *testing.T) demoServer {
	t.Helper()
	dir := t.TempDir()
	bin, err := goBuild(dir, "dayline", "./cmd/dayline")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "dayline.db"))
	cmd.Dir = dir
	for _, kv := range os.Environ() { // only the flags above configure it
		if !strings.HasPrefix(kv, "DAYLINE_") && !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out := lambdaemu.NewOutput()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	})
	playground := regexp.MustCompile(`Playground: (http://127\.0\.0\.1:\d+/)`)
	err = out.Await(t.Context(), exited, func(s string) bool {
		return playground.MatchString(s) && len(bannerLine.FindAllString(s, -1)) == 4
	})
	if err != nil {
		t.Fatalf("serve --demo did not print its banner: %v\n%s", err, out.String())
	}
	srv := demoServer{url: playground.FindStringSubmatch(out.String())[1], tokens: map[string]string{}}
	for _, m := range bannerLine.FindAllStringSubmatch(out.String(), -1) {
		srv.tokens[m[1]] = m[2]
	}
	return srv
}
