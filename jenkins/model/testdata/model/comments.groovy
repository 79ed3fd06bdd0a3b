/*
 * Licence header
 */
// Build pipeline
pipeline {
  agent any
  stages {
    // the first stage
    stage('one') {
      steps {
        // compile everything
        sh 'make' // a trailing comment stays with its statement
        /* block before echo */
        echo 'done'
      }
    }
  }
}
node {
  sh 'x'
  // closing note inside node
}
// end of file
