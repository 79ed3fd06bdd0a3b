sh 'cmd'
sh script: 'x', returnStdout: true
dir('d') { sh 'y' }
node {
}
docker.image('maven:3').inside('-v a:b') { sh 'mvn' }
parallel 'a b': { echo 'a' }, failFast: true
stage('s')
{
  echo 'next-line closure'
}
log.info "${x}"
foo(a: 1, 'pos', b: [k: 'v'])
agent any
