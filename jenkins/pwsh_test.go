package jenkins

import "testing"

// TestPSRender checks where a read of env var X lands after each prefix and before each suffix
// of a PowerShell script.
func TestPSRender(t *testing.T) {
	tests := []struct {
		prefix, suffix, want string
		bare                 bool
		fails                bool
	}{
		{`Write-Host "Build `, `"`, `Write-Host "Build $env:X"`, false, false},
		{`Write-Host "v`, `beta"`, `Write-Host "v${env:X}beta"`, false, false},
		{`Write-Host "`, `:1"`, `Write-Host "${env:X}:1"`, false, false},
		{`Write-Host 'it''s $HOME `, ` "q" ` + "`" + `t'`, `Write-Host "it's ` + "`$HOME $env:X `\"q`\" ``t\"", false, false},
		{`Write-Host ‘a`, `’`, `Write-Host "a$env:X"`, false, false},
		{"$s = @'\n$a ", "\n'@\nWrite-Host $s", "$s = @\"\n`$a $env:X\n\"@\nWrite-Host $s", false, false},
		{"$s = @\"\n", "\n\"@", "$s = @\"\n$env:X\n\"@", false, false},
		{`./make.ps1 -ImageType `, ` -Push`, `./make.ps1 -ImageType $env:X -Push`, true, false},
		{`Copy-Item out.zip app-`, `.zip`, `Copy-Item out.zip app-$env:X.zip`, false, false},
		{`Copy-Item out.zip `, `-x64.zip`, `Copy-Item out.zip $env:X-x64.zip`, true, false},
		{`Copy-Item out.zip `, `.zip`, ``, false, true},
		{``, ` --version`, `& $env:X --version`, true, false},
		{"cd src; ", `\build.ps1`, `cd src; & $env:X\build.ps1`, true, false},
		{`& `, ` build`, `& $env:X build`, true, false},
		{`Write-Host "$(Get-Item '`, `')"`, `Write-Host "$(Get-Item "$env:X")"`, false, false},
		{`Write-Host "a'`, `'"`, `Write-Host "a'$env:X'"`, false, false},
		{"# it's a comment\nWrite-Host '", `'`, "# it's a comment\nWrite-Host \"$env:X\"", false, false},
		{"<# it's\n #> Write-Host '", `'`, "<# it's\n #> Write-Host \"$env:X\"", false, false},
		{"Write-Host `' '", `'`, "Write-Host `' \"$env:X\"", false, false},
		{"Write-Host ${a'b} '", `'`, "Write-Host ${a'b} \"$env:X\"", false, false},
		{`Write-Host "say ""hi"" '`, `'"`, `Write-Host "say ""hi"" '$env:X'"`, false, false},
	}
	// A quote pair that spans two literals is one quote.
	if got, _, _ := psRender([]psPiece{{lit: "Write-Host 'it'"}, {lit: "'s "}, {env: "X"}, {lit: "'"}}); got != `Write-Host "it's $env:X"` {
		t.Errorf("split quote pair: got %q", got)
	}
	for _, tt := range tests {
		script, bare, why := psRender([]psPiece{{lit: tt.prefix}, {env: "X"}, {lit: tt.suffix}})
		if fails := why != ""; fails != tt.fails || script != tt.want || (len(bare) > 0) != tt.bare {
			t.Errorf("%q ${X} %q: got %q bare %v why %q, want %q bare %v fails %v", tt.prefix, tt.suffix, script, bare, why, tt.want, tt.bare, tt.fails)
		}
	}
}

// TestPSLauncher checks the .ps1 the step writes: verbatim, trailing blanks dropped unless a
// backtick continues the line, and a heredoc delimiter no line of the script equals.
func TestPSLauncher(t *testing.T) {
	const run = `exec pwsh -NoProfile -NonInteractive -Command "& {try {& '/tmp/powershellScript.ps1'} catch {throw}; exit \$LASTEXITCODE}"` + "\n"
	tests := []struct{ script, want string }{
		{"dotnet test", "cat > /tmp/powershellScript.ps1 <<'TKN_MIGRATE_PS1'\ndotnet test\nexit $LASTEXITCODE\nTKN_MIGRATE_PS1\n" + run},
		{"\n  $a = 'x $b'\n  Write-Host $a\n  ", "cat > /tmp/powershellScript.ps1 <<'TKN_MIGRATE_PS1'\n\n  $a = 'x $b'\n  Write-Host $a\nexit $LASTEXITCODE\nTKN_MIGRATE_PS1\n" + run},
		{"Write-Host a `\n  ", "cat > /tmp/powershellScript.ps1 <<'TKN_MIGRATE_PS1'\nWrite-Host a `\n  \nexit $LASTEXITCODE\nTKN_MIGRATE_PS1\n" + run},
		{"$s = @'\nTKN_MIGRATE_PS1\n'@", "cat > /tmp/powershellScript.ps1 <<'TKN_MIGRATE_PS1_'\n$s = @'\nTKN_MIGRATE_PS1\n'@\nexit $LASTEXITCODE\nTKN_MIGRATE_PS1_\n" + run},
	}
	for _, tt := range tests {
		if got := psLauncher(tt.script); got != tt.want {
			t.Errorf("psLauncher(%q):\n got %q\nwant %q", tt.script, got, tt.want)
		}
	}
}
