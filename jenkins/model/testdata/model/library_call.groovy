// vars/standardBuild.groovy in a shared library
def call(Map config = [:]) {
  def tool = config.tool ?: 'make'
  pipeline {
    agent any
    stages {
      stage('Build') { steps { sh "${tool} all" } }
    }
  }
}
