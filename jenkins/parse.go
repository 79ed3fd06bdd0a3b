package jenkins

import "github.com/tkn-migrate/tkn-migrate/jenkins/model"

// parseFile is the Jenkinsfile parser; a variable so tests can count parses.
var parseFile = model.Parse
