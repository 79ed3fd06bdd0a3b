package main

import (
	"errors"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/tkn-migrate/tkn-migrate/catalog"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/krmfn"
)

func newCmdFn(ios *IOStreams) *cobra.Command {
	to := "v1"
	cmd := &cobra.Command{
		Use:   "fn",
		Short: "Run as a KRM function: upgrade the old Tekton in a ResourceList read on stdin",
		Long: "fn reads a ResourceList (the KRM functions specification) on stdin and writes it on stdout, with\n" +
			"every old Tekton item upgraded in place and every finding as a result: unsupported constructs are\n" +
			"errors (exit 1), manual items warnings, approximations info. Other items pass through untouched.",
		Example: "  $ kustomize fn run --enable-exec --exec-path tkn-migrate-fn manifests/\n" +
			"  $ kpt fn eval manifests/ --exec 'tkn-migrate fn'",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if to != "v1" && to != "v1beta1" {
				return flagErrorf("--to must be v1 or v1beta1, not %q", to)
			}
			p := krmfn.Processor{Options: convert.Options{To: to, CatalogRef: catalog.Hub, Placeholders: true}}
			err := krmfn.Execute(p, &kio.ByteReadWriter{Reader: ios.In, Writer: ios.Out, KeepReaderAnnotations: true})
			var results krmfn.Results
			if errors.As(err, &results) {
				return exitCodeError{exitChanges} // the results are in the ResourceList on stdout
			}
			return err
		},
	}
	cmd.Flags().StringVar(&to, "to", "v1", "target Tekton API version: v1 or v1beta1")
	return cmd
}
