x = a ? b : c ?: d
y = !p && q || r == s
z = -1 + 2 * 3 ** 2
w = list[0].name?.trim()
v = (String) obj
u = new Foo(1, k: 2)
t = a =~ /re/ ? 'm' : 'n'
s = [1, [2, 3]] + [a: [:]]
r = x as Integer
q = 0..<n
p = it.&method
