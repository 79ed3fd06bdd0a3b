def a = x?.y?:z
def b = list*.name
def c = 1..<10
def d = s ==~ /x/ && t =~ 'y' || !u
def e = 0x1F + 1_000L + 1.5e3 - 2G
def f = m.&call
a <=> b; a !== b
x !in y
