package model_test

import (
	"fmt"

	"github.com/tkn-migrate/tkn-migrate/jenkins/model"
)

func ExampleParse() {
	src := []byte(`pipeline {
  agent { docker { image 'golang:1.26' } }
  stages {
    stage('Test') {
      when { branch 'main' }
      steps {
        sh 'go test ./...'
        sh "echo ${env.BRANCH_NAME}"
      }
    }
  }
}`)
	f, err := model.Parse("Jenkinsfile", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Kind, f.Pipeline.Agent.Kind, f.Pipeline.Agent.Image)
	for _, st := range f.Pipeline.Stages {
		fmt.Println("stage", st.Name, "when", st.When.Conditions[0].Name, st.When.Conditions[0].Args[0].Value.Str)
		model.Walk(st.Steps, func(s *model.Step) bool {
			if v := s.Positional(0); s.Name == "sh" && v != nil {
				fmt.Printf("line %d: %s %q\n", s.Line, v.Kind, v.Str)
			}
			return true
		})
	}
	_, err = model.Parse("Jenkinsfile", []byte("node {\n  sh 'x'\n"))
	fmt.Println(err)
	// Output:
	// declarative docker golang:1.26
	// stage Test when branch main
	// line 7: string "go test ./..."
	// line 8: gstring "echo ${env.BRANCH_NAME}"
	// Jenkinsfile:1:6: unbalanced "{": never closed
}
