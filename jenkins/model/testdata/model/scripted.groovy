#!groovy
// Scripted pipeline
properties([parameters([string(name: 'V', defaultValue: '1')]), pipelineTriggers([cron('H 2 * * *')])])

def helper(String name, int n = 2) {
  echo "helper ${name} ${n}"
}

node('linux') {
  stage 'Checkout'
  checkout scm
  def version = sh(returnStdout: true, script: 'git describe').trim()

  stage('Build') {
    docker.image('maven:3').inside('-v /m2:/root/.m2') {
      sh 'mvn -B verify'
    }
  }
  stage('Parallel') {
    parallel unit: {
      sh 'make unit'
    }, integration: {
      node('docker') { sh 'make it' }
    }, failFast: true
  }
  def branches = [:]
  for (x in ['a', 'b']) {
    def y = x
    branches["t-${y}"] = { sh "make ${y}" }
  }
  parallel branches
  try {
    withEnv(["V=${version}"]) {
      dir('deploy') { sh './deploy.sh' }
    }
  } catch (err) {
    currentBuild.result = 'FAILURE'
    throw err
  } finally {
    ['x', 'y'].each { n -> echo n }
  }
  if (env.BRANCH_NAME == 'main') {
    helper 'main'
  } else if (env.BRANCH_NAME.startsWith('release')) {
    echo 'release'
  } else {
    echo 'other'
  }
}
