package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// riePackage is the emulator, a Go tool dependency of the module (go.mod's
// tool block), built from the module cache like any other dependency.
const riePackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// binaries are what coldStart runs, and the arm64 bootstrap's size.
type binaries struct {
	bootstrap, rie string
	arm64Size      int64
}

// moduleRoot returns the directory of Dayline's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run from within the Dayline module")
	}
	return filepath.Dir(mod), nil
}

// buildAll builds into dir the bootstrap for this machine, the stripped
// arm64 bootstrap (for its size) and the emulator.
func buildAll(root, dir string) (binaries, error) {
	var b binaries
	lambdaFlags := []string{"-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w"}
	b.bootstrap = filepath.Join(dir, runtime.GOARCH, "bootstrap")
	if err := goBuild(root, runtime.GOARCH, b.bootstrap, "./cmd/dayline", lambdaFlags...); err != nil {
		return b, err
	}
	arm64 := b.bootstrap
	if runtime.GOARCH != "arm64" {
		arm64 = filepath.Join(dir, "arm64", "bootstrap")
		if err := goBuild(root, "arm64", arm64, "./cmd/dayline", lambdaFlags...); err != nil {
			return b, err
		}
	}
	fi, err := os.Stat(arm64)
	if err != nil {
		return b, err
	}
	b.arm64Size = fi.Size()
	b.rie = filepath.Join(dir, "aws-lambda-rie")
	return b, goBuild(root, runtime.GOARCH, b.rie, riePackage)
}

// goBuild builds pkg for linux/arch into out, from the module root, with
// CGO_ENABLED=0.
func goBuild(root, arch, out, pkg string, args ...string) error {
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, args...), pkg)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s for linux/%s: %v\n%s", pkg, arch, err, b)
	}
	return nil
}
