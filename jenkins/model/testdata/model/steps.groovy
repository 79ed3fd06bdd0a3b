pipeline {
  agent any
  stages {
    stage('steps') {
      steps {
        sh 'single'
        sh "double ${VERSION}"
        sh '''
          multi line
        '''
        sh script: 'named', returnStatus: true
        sh(label: 'with label', script: "echo \$HOME")
        bat 'dir'
        echo 'hello'
        dir('sub') { sh 'pwd' }
        withEnv(['A=1', "B=${X}"]) { sh 'echo $A' }
        withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'U', passwordVariable: 'P'), string(credentialsId: 't', variable: 'TOKEN')]) {
          sh 'login'
        }
        checkout scm
        git url: 'https://github.com/x/y.git', branch: 'main'
        archiveArtifacts 'build/*.jar'
        junit testResults: '**/*.xml', allowEmptyResults: true
        stash name: 'bin', includes: 'bin/**'
        unstash 'bin'
        timeout(time: 10, unit: 'MINUTES') { sh 'slow' }
        retry(3) { sh 'flaky' }
        script {
          def out = sh(script: 'ls', returnStdout: true).trim()
          if (out.contains('x')) {
            echo out
          } else {
            error 'missing'
          }
        }
        error 'stop'
        sleep 5
        sleep(time: 1, unit: 'MINUTES')
        writeFile file: 'a.txt', text: 'content'
        readFile 'a.txt'
        build job: 'downstream', parameters: [string(name: 'V', value: '1')], wait: false
        deleteDir()
      }
    }
  }
}
