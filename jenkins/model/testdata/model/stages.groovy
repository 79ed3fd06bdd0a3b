pipeline {
  agent none
  stages {
    stage('Build') { steps { sh 'make' } }
    stage('Test') {
      failFast true
      parallel {
        stage('unit') { steps { sh 'make unit' } }
        stage('it') {
          stages {
            stage('setup') { steps { sh './setup' } }
            stage('run') { steps { sh './it' } }
          }
        }
      }
    }
    stage("Deploy ${env.X}") { steps { sh 'deploy' } }
  }
}
