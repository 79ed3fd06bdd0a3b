package pipeline

import "go.yaml.in/yaml/v3"

// SetPrintCheck has encode pass check, for every document, whether the printer printed it
// and what it and yaml.v3 print (want, err: encodeYAML's result); undo removes the check.
func SetPrintCheck(check func(printed bool, got, want []byte, err error)) (undo func()) {
	checkPrint = func(doc *yaml.Node, lazy map[*yaml.Node]lazyItems, got []byte, ok bool) {
		want, err := encodeYAML(doc, lazy)
		check(ok, got, want, err)
	}
	return func() { checkPrint = nil }
}
