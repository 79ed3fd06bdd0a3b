package report

// Code and Cell are the markdown helpers of the conversion report, exported for other
// markdown reports (the fleet audit) that must render the same way.
func Code(s string) string { return code(s) }

// Cell makes inline markdown safe in a table cell.
func Cell(s string) string { return cell(s) }

// Escape is free text escaped to render literally.
func Escape(s string) string { return text(s) }
