def re = /a\/b\d+/
def gre = /prefix-${name}-$x/
def ds = $/dollar $$ slashy $/ with /path/ ${v}/$
def div = a / b / c
if (BRANCH_NAME ==~ /release-.*/) { echo 'x' }
