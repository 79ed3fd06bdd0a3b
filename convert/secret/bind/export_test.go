package bind

// Reuse turns Pipeline's reuse of what it found on or off.
func Reuse(on bool) { reuse = on }
