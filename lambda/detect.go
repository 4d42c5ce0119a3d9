package lambda

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Kind is the kind of an event, as Detect tells it.
type Kind string

// The kinds of event the Handler serves.
const (
	KindHTTPAPI      Kind = "apigateway-http-api" // API Gateway HTTP API, payload format 2.0
	KindFunctionURL  Kind = "function-url"        // Lambda Function URL (payload format 2.0)
	KindRESTAPI      Kind = "apigateway-rest-api" // API Gateway REST API, or an HTTP API with payload format 1.0
	KindALB          Kind = "alb"                 // Application Load Balancer target group
	KindAppSync      Kind = "appsync"             // AppSync Direct Lambda resolver, Invoke (one field)
	KindAppSyncBatch Kind = "appsync-batch"       // AppSync Direct Lambda resolver, BatchInvoke (an array)
)

// A Function URL event's domainName is <url-id>.lambda-url.<region>.on.aws
// (an HTTP API's custom domain could hold ".lambda-url." too, but not end
// in ".on.aws").
const (
	functionURLDomainIn  = ".lambda-url."
	functionURLDomainEnd = ".on.aws"
)

// IsAppSync reports whether k is an AppSync resolver event.
func (k Kind) IsAppSync() bool { return k == KindAppSync || k == KindAppSyncBatch }

// probe holds the fields Detect looks at.
type probe struct {
	Version        string `json:"version"`
	HTTPMethod     string `json:"httpMethod"`
	RequestContext *struct {
		HTTP *struct {
			Method string `json:"method"`
		} `json:"http"`
		ELB *struct {
			TargetGroupArn string `json:"targetGroupArn"`
		} `json:"elb"`
		DomainName string `json:"domainName"`
	} `json:"requestContext"`
	Info *struct {
		FieldName      string `json:"fieldName"`
		ParentTypeName string `json:"parentTypeName"`
	} `json:"info"`
}

// Detect tells an event's kind from its JSON, by these rules, in order:
//
//   - a JSON array is an AppSync BatchInvoke;
//   - an object whose "info" holds a "fieldName" and a "parentTypeName" is
//     an AppSync Invoke;
//   - "requestContext.elb.targetGroupArn" set: an ALB event;
//   - "version" "2.0" with "requestContext.http.method": a Function URL
//     event when "requestContext.domainName" is a Function URL's
//     (<url-id>.lambda-url.<region>.on.aws), else an HTTP API event;
//   - "httpMethod" with a "requestContext": a REST API event (payload 1.0,
//     which HTTP APIs can send too).
//
// Anything else (not JSON, another AWS service's event, an API Gateway
// WebSocket event) returns an *UnsupportedEventError.
func Detect(payload []byte) (Kind, error) {
	trimmed := bytes.TrimLeft(payload, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return KindAppSyncBatch, nil
	}
	var p probe
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &p) != nil {
		return "", &UnsupportedEventError{Reason: "not a JSON object or array"}
	}
	rc := p.RequestContext
	switch {
	case p.Info != nil && p.Info.FieldName != "" && p.Info.ParentTypeName != "":
		return KindAppSync, nil
	case rc != nil && rc.ELB != nil && rc.ELB.TargetGroupArn != "":
		return KindALB, nil
	case p.Version == "2.0" && rc != nil && rc.HTTP != nil && rc.HTTP.Method != "":
		if strings.Contains(rc.DomainName, functionURLDomainIn) && strings.HasSuffix(rc.DomainName, functionURLDomainEnd) {
			return KindFunctionURL, nil
		}
		return KindHTTPAPI, nil
	case p.HTTPMethod != "" && rc != nil:
		return KindRESTAPI, nil
	}
	return "", &UnsupportedEventError{Reason: "neither an HTTP front-door event (API Gateway HTTP or REST API, Function URL, ALB) nor an AppSync resolver event"}
}
