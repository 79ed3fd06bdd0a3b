package groovy

// Span is the source range of a node: start position and end offset.
type Span struct {
	Pos
	End int32
}

// Node is any syntax tree node.
type Node interface{ span() *Span }

func (s *Span) span() *Span { return s }

// SpanOf returns a node's span.
func SpanOf(n Node) Span { return *n.span() }

// Expr is an expression node.
type Expr interface {
	Node
	expr()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmt()
	Comments() []Comment
}

// Expressions.
type (
	// Ident is a name (or keyword used as a value: this, it, super).
	Ident struct {
		Span
		Name string
	}
	// Literal is a string, number, true/false or null.
	Literal struct {
		Span
		Tok Token // Kind String or Number; Ident for true/false/null
	}
	// ListLit is [a, b].
	ListLit struct {
		Span
		Elems []Expr
	}
	// MapLit is [k: v, ...] or [:].
	MapLit struct {
		Span
		Entries []MapEntry
	}
	// Closure is { params -> stmts }.
	Closure struct {
		Span
		Params []string // parameter names ("" entries never appear); nil without ->
		Arrow  bool     // params were declared with -> (possibly none)
		Body   []Stmt
		Inner  Span      // the text between the braces
		Tail   []Comment // comments after the last statement, before the closing brace
	}
	// Call is fn(args) { closure }, fn args (a command call), or fn { closure }.
	Call struct {
		Span
		Fn     Expr // *Ident, or *Prop for method calls
		Args   []Arg
		Parens bool // written with (...)
	}
	// Prop is x.name (also ?. *. .& .@).
	Prop struct {
		Span
		X    Expr
		Op   string
		Name string
	}
	// Index is x[i].
	Index struct {
		Span
		X     Expr
		Index []Expr
	}
	// Binary is x op y, including assignment operators, in, instanceof and as.
	Binary struct {
		Span
		Op   string
		X, Y Expr
	}
	// Unary is op x (prefix) or x op (postfix ++/--, Postfix set).
	Unary struct {
		Span
		Op      string
		X       Expr
		Postfix bool
	}
	// Ternary is c ? a : b, or a ?: b (Then nil).
	Ternary struct {
		Span
		Cond, Then, Else Expr
	}
	// Paren is (x).
	Paren struct {
		Span
		X Expr
	}
	// New is new T(args) or new T[...]: kept as text with its arguments.
	New struct {
		Span
		Type string
		Args []Arg
	}
	// OpaqueExpr is an expression the parser does not model (casts, array initialisers, ...).
	OpaqueExpr struct {
		Span
	}
)

// Arg is one call argument; Name is set for named arguments (key: value). A trailing
// closure is the last positional argument with Trailing set.
type Arg struct {
	Name     string
	NameExpr Expr // the key as written ((expr) or string keys), nil for plain identifiers
	Value    Expr
	Trailing bool
}

// MapEntry is one key: value of a map literal. Key is the identifier or string key text; for a
// (expr) key, the expression source.
type MapEntry struct {
	Key     string
	KeyExpr Expr
	Value   Expr
}

func (*Ident) expr()      {}
func (*Literal) expr()    {}
func (*ListLit) expr()    {}
func (*MapLit) expr()     {}
func (*Closure) expr()    {}
func (*Call) expr()       {}
func (*Prop) expr()       {}
func (*Index) expr()      {}
func (*Binary) expr()     {}
func (*Unary) expr()      {}
func (*Ternary) expr()    {}
func (*Paren) expr()      {}
func (*New) expr()        {}
func (*OpaqueExpr) expr() {}

// StmtBase carries what every statement has.
type StmtBase struct {
	Span
	Comms []Comment // comments right before the statement
}

func (s *StmtBase) stmt()               {}
func (s *StmtBase) Comments() []Comment { return s.Comms }

// Statements.
type (
	// ExprStmt is an expression used as a statement (mostly calls and assignments).
	ExprStmt struct {
		StmtBase
		X Expr
	}
	// VarDecl is def x = v, String x = v, final x = v, def (a, b) = v.
	VarDecl struct {
		StmtBase
		Type  string // "def", a type name, or modifiers as written
		Name  string // the variable, or "(a, b)" for a multiple assignment
		Value Expr   // nil without initialiser
	}
	// If is if (Cond) Then else Else.
	If struct {
		StmtBase
		Cond Expr
		Then []Stmt
		Else []Stmt // an else-if is a single *If
	}
	// Try is try { } catch (...) { } finally { }.
	Try struct {
		StmtBase
		Body       []Stmt
		Catches    []CatchClause
		Finally    []Stmt
		HasFinally bool
	}
	// For is for (header) body, while (header) body, or do body while (header).
	For struct {
		StmtBase
		Keyword string // for, while, do
		Header  Span   // the text between the parentheses
		Var     string // for (x in xs): x
		In      Expr   // for (x in xs): xs
		Body    []Stmt
	}
	// Jump is return/throw/break/continue with an optional value.
	Jump struct {
		StmtBase
		Keyword string
		X       Expr
	}
	// FuncDecl is def name(params) { body } (with any modifiers or return type).
	FuncDecl struct {
		StmtBase
		Name   string
		Params Span // the text between the parentheses
		Body   []Stmt
	}
	// Annotated is @A(...) @B stmt, e.g. @Library('x') _ or @NonCPS def f() {}.
	Annotated struct {
		StmtBase
		Annotations []Annotation
		Stmt        Stmt // nil when the annotation stands alone
	}
	// Opaque is a statement the parser keeps only as text: import, class, switch, labels, ...
	Opaque struct {
		StmtBase
		Reason string
	}
)

// Taken stands for a statement a ParseTaking hook took: its span and N, the number of
// statements taken before it (no StmtBase: a big file has one per stage).
type Taken struct {
	Span
	N int32
}

func (*Taken) stmt()               {}
func (*Taken) Comments() []Comment { return nil }

// CatchClause is catch (Type name) { body }.
type CatchClause struct {
	Span
	Param string // text between the parentheses
	Body  []Stmt
}

// Annotation is @Name or @Name(args).
type Annotation struct {
	Span
	Name string
	Args []Arg
}
