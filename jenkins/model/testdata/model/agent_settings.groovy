// settings given as nested blocks, named args or flags
pipeline {
  agent {
    kubernetes {
      cloud 'k8s'
      containerTemplate {
        name 'maven'
        image 'maven:3'
      }
      podRetention never()
      nodeSelector key: 'disk', value: 'ssd'
    }
  }
  stages { stage('x') { steps { sh 'mvn -v' } } }
}
