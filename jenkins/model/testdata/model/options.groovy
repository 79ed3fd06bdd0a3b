pipeline {
  agent any
  options {
    timeout(time: 1, unit: 'HOURS')
    retry(3)
    skipDefaultCheckout()
    buildDiscarder(logRotator(numToKeepStr: '10'))
    timestamps()
    disableConcurrentBuilds()
    checkoutToSubdirectory('src')
    parallelsAlwaysFailFast()
  }
  parameters {
    string(name: 'VERSION', defaultValue: '1.0', description: 'version')
    booleanParam(name: 'DEPLOY', defaultValue: false)
    choice(name: 'ENV', choices: ['dev', 'prod'])
    text(name: 'NOTES', defaultValue: '')
    password(name: 'PW', defaultValue: '')
  }
  triggers {
    cron('H 4 * * 1-5')
    pollSCM('H/15 * * * *')
    upstream(upstreamProjects: 'a,b', threshold: hudson.model.Result.SUCCESS)
  }
  tools {
    maven 'M3'
    jdk 'jdk17'
  }
  stages {
    stage('s') {
      options { timeout(time: 5, unit: 'MINUTES'); retry(2) }
      tools { nodejs 'node20' }
      steps { sh 'make' }
    }
  }
}
