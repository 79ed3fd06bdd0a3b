@Library('pipeline-library@v2') _
@Library(['common', 'extra@feature/x']) import org.example.Helper
library 'runtime-lib@main'
library identifier: 'scm-lib@1.0', retriever: modernSCM([$class: 'GitSCMSource', remote: 'https://git.example.com/lib.git'])
pipeline {
  agent any
  libraries { lib('declared@abc123') }
  stages {
    stage('s') { steps { buildPlugin(useContainerAgent: true); log.info 'hi' } }
  }
}
