// Command terraform-docs builds terraform-docs from its command package.
//
// Like tools/regal: the Go module proxy here refuses terraform-docs' version
// list, so `go install …@v0.20.0` fails; this main module imports the same
// command package at that exact version instead.
package main

import (
	"os"

	"github.com/terraform-docs/terraform-docs/cmd"
)

func main() {
	if err := cmd.Execute(); err != nil {
		os.Exit(1)
	}
}
