@NonCPS
def parse(String text) {
  return new groovy.json.JsonSlurper().parseText(text)
}
@groovy.transform.Field
def GLOBAL = 'g'

node {
  if (a) {
    sh 'then'
  }
  else {
    sh 'else'
  }
  try {
    sh 'try'
  }
  catch (IOException | InterruptedException e) {
    echo "caught ${e.message}"
  }
  def ok = a &&
    b
  def ok2 = a
    && b
  parallel(
    first: { sh 'one' },
    'second one': { sh 'two' }
  )
  list?.each { sh "item ${it}" }
  3.times { i -> echo "${i}" }
  log.info 'library call'
  def out = sh returnStdout: true, script: 'id -u'
  env.RESULT = sh(script: 'date', returnStdout: true).trim()
  (1..3).each { n -> sh "echo ${n}" }
  def matcher = (BRANCH_NAME =~ /release-(\d+)/)
  if (x ==~ /^v\d+$/) { echo 'tag' }
  sh(script: """
    echo ${VERSION} \$HOME
  """)
  do { x++ } while (x < 3)
  for (int i = 0; i < 3; i++) { echo "${i}" }
}
