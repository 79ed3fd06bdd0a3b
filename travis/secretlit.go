package travis

import (
	"strings"

	"github.com/tkn-migrate/tkn-migrate/convert/secret"
)

// literalSecrets treats an env value that is a plain-text secret as a secure: entry, so it
// reaches the job from a Secret (never a param default or a script) like an encrypted one.
func literalSecrets(vars []envVar) {
	for i, v := range vars {
		if v.secure {
			continue
		}
		val := v.value
		if u, ok := unquote(val); ok {
			val = u
		}
		if why, ok := secret.Literal(v.name, strings.TrimSpace(val)); ok {
			vars[i] = envVar{name: v.name, secure: true, literal: why, line: v.line, col: v.col}
		}
	}
}

// literalMessage is the secret-literal finding for a plain-text env value now read from Secret name.
func literalMessage(v envVar, name, key string) string {
	if strings.HasPrefix(v.name, "deploy.") { // a deploy option: the Secret holds the value alone
		return sprintf("%s is a plain-text secret (%s): it is not copied; the deploy reads it from key %s of Secret %s; create the Secret, remove the value from .travis.yml and revoke it",
			v.name, v.literal, key, name)
	}
	return sprintf("env %s is a plain-text secret (%s): it is not copied; the job reads it from key %s of Secret %s, which holds %s=<its value>; create the Secret, remove the value from .travis.yml and revoke it",
		v.name, v.literal, key, name, v.name)
}
