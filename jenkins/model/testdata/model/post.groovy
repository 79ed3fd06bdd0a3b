pipeline {
  agent any
  stages {
    stage('s') {
      steps { sh 'make' }
      post {
        failure { echo 'stage failed' }
        success { archiveArtifacts artifacts: 'out/**', fingerprint: true }
      }
    }
  }
  post {
    always { junit '**/TEST-*.xml' }
    success { echo 'ok' }
    failure { mail to: 'team@example.com', subject: "Failed: ${env.JOB_NAME}" }
    unstable { echo 'unstable' }
    changed { echo 'changed' }
    fixed { echo 'fixed' }
    regression { echo 'regression' }
    aborted { echo 'aborted' }
    unsuccessful { echo 'unsuccessful' }
    cleanup { deleteDir() }
  }
}
