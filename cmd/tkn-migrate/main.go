// Command tkn-migrate moves CI definitions to Tekton v1: old Tekton YAML, .travis.yml,
// Jenkinsfiles and Jenkins job config.xml. As tkn-migrate it also works as the tkn plugin `tkn migrate`.
package main

import "os"

func main() { os.Exit(Main()) }
