pipeline {
  agent none
  stages {
    stage('Matrix') {
      matrix {
        agent { label "${PLATFORM}" }
        axes {
          axis { name 'PLATFORM'; values 'linux', 'windows', 'mac' }
          axis {
            name 'BROWSER'
            values 'firefox', 'chrome'
          }
        }
        excludes {
          exclude {
            axis { name 'PLATFORM'; values 'linux' }
            axis { name 'BROWSER'; notValues 'chrome' }
          }
        }
        stages {
          stage('Test') { steps { sh "test ${PLATFORM} ${BROWSER}" } }
        }
        post { always { echo 'cell done' } }
      }
    }
  }
}
