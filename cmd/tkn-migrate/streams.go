package main

import (
	"os"

	"github.com/mattn/go-isatty"
)

func systemStreams() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY: isatty.IsTerminal(os.Stderr.Fd()),
	}
}

// colorEnabled follows the NO_COLOR convention (https://no-color.org).
func colorEnabled(tty bool) bool {
	_, noColor := os.LookupEnv("NO_COLOR")
	return tty && !noColor && os.Getenv("TERM") != "dumb"
}
