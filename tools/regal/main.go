// Command regal builds Regal from its command package.
//
// `go install github.com/open-policy-agent/regal@vX` fails against the module
// proxy available here (it cannot read the module's version list to check for
// deprecation), so this main module imports the same command package instead.
package main

import (
	"errors"
	"log"
	"os"

	"github.com/open-policy-agent/regal/cmd"

	_ "github.com/open-policy-agent/regal/pkg/roast/intern"
)

func main() {
	log.SetFlags(0)

	if err := cmd.RootCommand.Execute(); err != nil {
		code := 1
		if e := (cmd.ExitError{}); errors.As(err, &e) {
			code = e.Code()
		}

		os.Exit(code)
	}
}
