#!/usr/bin/env groovy
// line comment
/* block
   comment */
node { // trailing
  /** doc */ sh 'x' /* inline */
}
// at the end
