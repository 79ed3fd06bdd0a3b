pipeline {
  agent any
  environment {
    PLAIN = 'value'
    INTERP = "${PLAIN}-suffix"
    DOUBLE = "no interpolation"
    CREDS = credentials('my-user-pass')
    NUM = 3
    SHELLOUT = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()
  }
  stages {
    stage('s') {
      environment { STAGE_ONLY = "${env.BRANCH_NAME}" }
      steps { sh 'env' }
    }
  }
}
