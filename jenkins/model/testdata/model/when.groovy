pipeline {
  agent any
  stages {
    stage('branch') { when { branch 'main' } steps { echo 'a' } }
    stage('pattern') {
      when {
        beforeAgent true
        branch pattern: 'release-\\d+', comparator: 'REGEXP'
      }
      steps { echo 'b' }
    }
    stage('tag') { when { tag 'v*' } steps { echo 'c' } }
    stage('buildingTag') { when { buildingTag() } steps { echo 'd' } }
    stage('env') { when { environment name: 'DEPLOY', value: 'true' } steps { echo 'e' } }
    stage('expr') { when { expression { return params.RUN && env.X == 'y' } } steps { echo 'f' } }
    stage('cr') { when { changeRequest target: 'main' } steps { echo 'g' } }
    stage('combo') {
      when {
        beforeInput true
        allOf {
          branch 'main'
          not { environment name: 'SKIP', value: '1' }
          anyOf { tag 'v*'; expression { false } }
        }
      }
      steps { echo 'h' }
    }
  }
}
