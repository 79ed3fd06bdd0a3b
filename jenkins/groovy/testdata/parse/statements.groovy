// leading
@Library('lib') _
import a.b.C
def x = 1
final String y = 'y'
Map<String, List<Integer>> m = [:]
def f(a, b = 2) { return a + b }
if (x) y() else if (z) w() else { v() }
try { a() } catch (Exception e) { b() } finally { c() }
for (i in [1, 2]) { echo i }
for (int i = 0; i < 3; i++) echo i
while (x) { x-- }
switch (x) { case 1: break }
class K { def m() {} }
{ bare -> block }
throw new RuntimeException('x')
// trailing
