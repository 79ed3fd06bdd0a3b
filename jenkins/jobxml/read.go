// Package jobxml reads Jenkins job config.xml files (XStream output) with etree and maps
// freestyle, Maven and multi-configuration jobs to the shared pipeline model. Pipeline jobs
// with an inline script hand that script back to the caller, which converts it as a Jenkinsfile.
package jobxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"

	"github.com/beevik/etree"
	"github.com/tkn-migrate/tkn-migrate/convert"
	"github.com/tkn-migrate/tkn-migrate/internal/lazyre"
)

// MaxSize is the largest config.xml we read; real job files are a few KB.
const MaxSize = 8 << 20

// maxDepth bounds element nesting; XStream output is shallow.
const maxDepth = 200

// Doc is a parsed config.xml with the source line of every element.
type Doc struct {
	Path string
	Root *etree.Element
	// line[e] is the line of e's start tag; content[e] the line where its text starts.
	line, content map[*etree.Element]int
}

// Line returns the source line of e's start tag (0 if unknown).
func (d *Doc) Line(e *etree.Element) int { return d.line[e] }

// ContentLine returns the line where e's character data starts.
func (d *Doc) ContentLine(e *etree.Element) int { return d.content[e] }

var (
	prolog11 = lazyre.New(`^(\xef\xbb\xbf)?<\?xml version=(['"])1\.1(['"])`)
	// Character references that XML 1.1 allows and Go's XML 1.0 decoder rejects (C0 controls but tab/LF/CR).
	ctlRef = lazyre.New(`&#(x0*([0-8bBcCeEfF]|1[0-9a-fA-F])|0*([0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));`)
)

// sanitize makes Jenkins' XML 1.1 output readable by Go's XML 1.0 decoder without moving
// any line: the prolog says 1.0 and control-character references become U+FFFD.
func sanitize(data []byte) []byte {
	data = prolog11.ReplaceAll(data, []byte(`${1}<?xml version=${2}1.0${3}`))
	return ctlRef.ReplaceAll(data, []byte("&#xFFFD;"))
}

func passCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// Read parses config.xml. Errors carry path:line:col.
func Read(path string, data []byte) (*Doc, error) {
	if len(data) > MaxSize {
		return nil, convert.Errorf(path, 0, 0, "file is %d bytes, over the %d-byte limit for config.xml", len(data), MaxSize)
	}
	data = sanitize(data)
	lines, contents, err := scanLines(path, data)
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = passCharset
	doc.ReadSettings.MaxDepth = maxDepth
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, convert.Errorf(path, 1, 1, "reading XML: %v", err)
	}
	root := doc.Root()
	if root == nil {
		return nil, convert.Errorf(path, 1, 1, "no root element: not a Jenkins job config.xml")
	}
	d := &Doc{Path: path, Root: root, line: map[*etree.Element]int{}, content: map[*etree.Element]int{}}
	// etree and the scan see the same start tags in the same order.
	i := 0
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		if i < len(lines) {
			d.line[e], d.content[e] = lines[i], contents[i]
		}
		i++
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	for _, e := range doc.ChildElements() {
		walk(e)
	}
	return d, nil
}

// scanLines reads data with encoding/xml to record, for every start tag in document order,
// its line and the line just after it; it also reports the first syntax error with its position.
func scanLines(path string, data []byte) (starts, contents []int, err error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = passCharset
	depth, roots := 0, 0
	type open struct {
		name string
		line int
	}
	var stack []open
	for {
		line, col := dec.InputPos()
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			if depth > 0 {
				return nil, nil, convert.Errorf(path, line, col, "unexpected end of file: %d element(s) left open", depth)
			}
			if roots == 0 {
				return nil, nil, convert.Errorf(path, 1, 1, "no root element: not a Jenkins job config.xml")
			}
			return starts, contents, nil
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, nil, convert.Errorf(path, se.Line, 0, "invalid XML: %s", se.Msg)
			}
			return nil, nil, convert.Errorf(path, line, col, "invalid XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return nil, nil, convert.Errorf(path, line, col, "second root element <%s>: a config.xml holds exactly one job", t.Name.Local)
				}
			}
			depth++
			stack = append(stack, open{t.Name.Local, line})
			if depth > maxDepth {
				return nil, nil, convert.Errorf(path, line, col, "elements nested deeper than %d", maxDepth)
			}
			after, _ := dec.InputPos()
			starts = append(starts, line)
			contents = append(contents, after)
		case xml.EndElement:
			depth--
			if depth < 0 {
				return nil, nil, convert.Errorf(path, line, col, "unexpected end tag </%s>", t.Name.Local)
			}
			if top := stack[len(stack)-1]; top.name != t.Name.Local {
				return nil, nil, convert.Errorf(path, line, col, "end tag </%s> does not match <%s> opened on line %d", t.Name.Local, top.name, top.line)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, nil, convert.Errorf(path, line, col, "text outside the root element")
			}
		}
	}
}

// text returns the trimmed text of the element at the relative path (child/grandchild), or "".
func text(e *etree.Element, path string) string {
	if c := e.FindElement(path); c != nil {
		return trimSpace(c.Text())
	}
	return ""
}

func trimSpace(s string) string { return string(bytes.TrimSpace([]byte(s))) }

// xpath is the element's path for residue entries, e.g. /project/buildWrappers/x.Y.
func xpath(e *etree.Element) string { return e.GetPath() }
