node {
  def a = x ? 'y' : "z"
  def b = m?.n ?: 'd'
  def list = [1, 2.5, -3, true, null, 'q']
  def map = [key: 'v', 'quoted key': 2, (dyn): 3, nested: [a: [b: 'c']]]
  String typed = 'T'
  List<Map<String, Object>> generic = []
  env.FOO = "bar"
  count += 1
  sh returnStdout: true,
     script: 'multi-line args'
  def chained = readFile('f')
      .trim()
      .split('\n')
  stage('newline brace')
  {
    echo 'attached'
  }
  items.each { item ->
    echo "${item}"
  }
  while (i < 3) { i++ }
  switch (x) { case 1: echo 'one'; break; default: echo 'other' }
  def (p, q) = [1, 2]
  echo new Date().toString()
  return
}
