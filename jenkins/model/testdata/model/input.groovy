pipeline {
  agent none
  stages {
    stage('approve') {
      input {
        message 'Deploy?'
        ok 'Yes'
        submitter 'admins'
        parameters {
          string(name: 'TARGET', defaultValue: 'staging')
        }
      }
      steps { echo "deploying to ${TARGET}" }
    }
    stage('step form') {
      steps { input message: 'Continue?', ok: 'Go' }
    }
  }
}
