// Command tkn-migrate-simulate is `tkn-migrate simulate`: a program of its own so that
// only it links (and initialises) Tekton's controller packages.
package main

import (
	"os"

	"github.com/tkn-migrate/tkn-migrate/simulate/cli"
)

func main() { os.Exit(cli.Main()) }
