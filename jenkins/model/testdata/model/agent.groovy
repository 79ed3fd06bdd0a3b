pipeline {
  agent any
  stages {
    stage('none') { agent none; steps { echo 'a' } }
    stage('label') { agent { label 'linux && docker' } steps { echo 'b' } }
    stage('node') {
      agent { node { label 'big'; customWorkspace '/ws' } }
      steps { echo 'c' }
    }
    stage('docker short') { agent { docker 'maven:3-jdk-11' } steps { sh 'mvn -v' } }
    stage('docker') {
      agent {
        docker {
          image 'node:20'
          args '-v /tmp:/tmp'
          reuseNode true
          registryUrl 'https://r.example.com'
          registryCredentialsId 'reg'
        }
      }
      steps { sh 'node -v' }
    }
    stage('dockerfile') { agent { dockerfile true } steps { sh 'make' } }
    stage('dockerfile block') {
      agent { dockerfile { filename 'Dockerfile.ci'; dir 'ci'; additionalBuildArgs '--build-arg X=1' } }
      steps { sh 'make' }
    }
    stage('k8s') {
      agent {
        kubernetes {
          defaultContainer 'maven'
          yaml '''
apiVersion: v1
kind: Pod
spec:
  containers:
  - name: maven
    image: maven:3
'''
        }
      }
      steps { sh 'mvn -v' }
    }
    stage('old map form') { agent label: 'windows'; steps { bat 'dir' } }
  }
}
