// kstatus oracle: reads one Kubernetes object as JSON on stdin and prints what kstatus
// (sigs.k8s.io/cli-utils/pkg/kstatus/status, the library Flux, kpt and Helm use to judge
// readiness) computes for it, as JSON: {"status": "Current|InProgress|Failed|...", "message": "..."}.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Status     string             `json:"status"`
	Message    string             `json:"message"`
	Conditions []status.Condition `json:"conditions"`
}

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	u := &unstructured.Unstructured{}
	// The unstructured JSON decoder keeps integers as int64, as a client reading the API does.
	if err := u.UnmarshalJSON(data); err != nil {
		fail("decoding the object: %v", err)
	}
	res, err := status.Compute(u)
	if err != nil {
		fail("kstatus: %v", err)
	}
	out, _ := json.Marshal(result{Status: res.Status.String(), Message: res.Message, Conditions: res.Conditions})
	fmt.Println(string(out))
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kstatus oracle: "+format+"\n", args...)
	os.Exit(1)
}
