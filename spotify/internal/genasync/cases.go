package genasync

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// The names the test rewriting relies on: the sync harness and table, and
// what package spotify's helpers_test.go provides for the async run.
const (
	syncRunner  = "runMethodCases"
	asyncRunner = "runAsyncMethodCases"
	caseType    = "methodCase"
	syncField   = "call"
	asyncField  = "asyncCall"
	asyncClient = "ac"
	awaitErr    = "awaitErr"
)

// caseFunc is one test function that runs tables, rewritten for the async
// run.
type caseFunc struct {
	name  string // the source test's name
	file  string
	param string   // the *testing.T parameter's name
	body  []string // its statements, rewritten
}

// topDecl is a top-level declaration of a test file.
type topDecl struct {
	f      *file
	decl   ast.Decl
	names  map[string]bool // what it declares
	refs   map[string]bool // the identifiers it uses, but its own names
	lits   bool            // it holds a methodCase literal
	test   bool            // a TestXxx(t *testing.T)
	tparam string
}

// rewriter rewrites the tables of the test files.
type rewriter struct {
	p       *pkgFiles
	f       *file // the file being rewritten
	idx     map[string]map[string]*method
	imps    map[string]string // f's imports
	used    map[string]string // the imports the copied code needs
	covered map[string]bool   // "Albums.Get" for every method a case calls
	rename  map[string]string // top-level names to their async copies'
	runners map[string]bool   // the names whose call runs a table
}

func (r *rewriter) errorf(n ast.Node, format string, args ...any) error {
	return fmt.Errorf("genasync: %s: %s", r.p.pos(n), fmt.Sprintf(format, args...))
}

// emitCases writes async_cases_gen_test.go. Besides the tests that run
// tables (runMethodCases(t, ...) at the top level of a TestXxx), it copies
// the test helpers that hold cases or run them (a function returning a
// table, a runner that checks more and calls runMethodCases), renamed
// asyncXxx, and points the copied tests at the copies.
func (p *pkgFiles) emitCases(svcs []*service) ([]byte, error) {
	r := &rewriter{p: p, idx: methodIndex(svcs), used: map[string]string{"context": "context", "testing": "testing"},
		covered: map[string]bool{}, rename: map[string]string{syncRunner: asyncRunner}, runners: map[string]bool{syncRunner: true}}
	decls, err := p.topDecls()
	if err != nil {
		return nil, err
	}
	// The helpers to copy: those that hold cases or use such a helper (or
	// the runner); the runners among them: those that end in runMethodCases.
	copied := map[*topDecl]bool{}
	for changed := true; changed; {
		changed = false
		for _, d := range decls {
			if d.test || copied[d] || d.names[syncRunner] || d.names[asyncRunner] {
				continue
			}
			if d.lits || touchesAny(d.refs, r.rename) {
				copied[d], changed = true, true
				for n := range d.names {
					r.rename[n] = "async" + strings.ToUpper(n[:1]) + n[1:]
				}
			}
			if copied[d] && touchesAny(d.refs, r.runners) && !touchesAny(d.names, r.runners) {
				changed = true
				for n := range d.names {
					r.runners[n] = true
				}
			}
		}
	}
	taken := map[string]bool{}
	for _, f := range append(slices.Clone(p.srcs), p.tests...) {
		for _, d := range f.ast.Decls {
			for n := range declNames(d) {
				taken[n] = true
			}
		}
	}
	for from, to := range r.rename {
		if taken[to] && from != syncRunner {
			return nil, fmt.Errorf("genasync: the async copy of %s would be named %s, which the package already declares", from, to)
		}
	}
	var helpers []string
	var funcs []*caseFunc
	for _, d := range decls {
		r.f, r.imps = d.f, d.f.imports()
		switch {
		case copied[d]:
			text, err := r.rewrite(d.decl)
			if err != nil {
				return nil, err
			}
			r.p.collectImports(d.decl, r.imps, r.used)
			helpers = append(helpers, fmt.Sprintf("// %s is %s (%s) for the AsyncClient.\n%s\n",
				r.rename[firstName(d)], firstName(d), d.f.name, text))
		case d.test && touchesAny(d.refs, r.runners):
			fn, err := r.testFunc(d)
			if err != nil {
				return nil, err
			}
			funcs = append(funcs, fn)
		case d.lits || d.refs[syncRunner]:
			return nil, r.errorf(d.decl, "cases or %s in a declaration the async rewrite cannot copy", syncRunner)
		}
	}
	var b bytes.Buffer
	b.WriteString(header)
	fmt.Fprintf(&b, "package %s\n\n", p.name)
	if err := importBlock(&b, r.used); err != nil {
		return nil, err
	}
	b.WriteString("// TestAsyncMethods runs the method tables of the sync tests a second time,\n")
	b.WriteString("// on the AsyncClient: each case's call submits the async form of its method\n")
	b.WriteString("// and awaits it, and the request sent and the result are checked as for the\n// sync client.\n")
	b.WriteString("func TestAsyncMethods(t *testing.T) {\n")
	for _, fn := range funcs {
		fmt.Fprintf(&b, "\tt.Run(%q, async%s)\n", fn.name, fn.name)
	}
	b.WriteString("}\n\n")
	b.WriteString("// asyncCaseMethods lists the methods that TestAsyncMethods calls, as\n// \"Service.Method\".\n")
	b.WriteString("var asyncCaseMethods = []string{\n")
	for _, m := range sortedKeys(r.covered) {
		fmt.Fprintf(&b, "\t%q,\n", m)
	}
	b.WriteString("}\n")
	for _, fn := range funcs {
		fmt.Fprintf(&b, "\n// async%s is %s (%s) on the AsyncClient.\n", fn.name, fn.name, fn.file)
		fmt.Fprintf(&b, "func async%s(%s *testing.T) {\n", fn.name, fn.param)
		for _, s := range fn.body {
			b.WriteString(s)
			b.WriteByte('\n')
		}
		b.WriteString("}\n")
	}
	for _, h := range helpers {
		b.WriteString("\n" + h)
	}
	return formatSource(CasesFile, b.Bytes())
}

// topDecls reads the top-level functions and variables of the test files.
func (p *pkgFiles) topDecls() ([]*topDecl, error) {
	var out []*topDecl
	for _, f := range p.tests {
		imps := f.imports()
		for _, d := range f.ast.Decls {
			td := &topDecl{f: f, decl: d, names: declNames(d)}
			switch x := d.(type) {
			case *ast.FuncDecl:
				if x.Recv != nil {
					if hasCaseLit(x) || mentions(x, syncRunner) {
						return nil, fmt.Errorf("genasync: %s: cases or %s in a method: move them to a function", p.pos(x), syncRunner)
					}
					continue
				}
				if strings.HasPrefix(x.Name.Name, "Test") {
					td.tparam, td.test = testParam(x, imps)
				}
			case *ast.GenDecl:
				if x.Tok != token.VAR {
					continue
				}
			}
			td.lits = hasCaseLit(d)
			td.refs = map[string]bool{}
			ast.Inspect(d, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && !td.names[id.Name] {
					td.refs[id.Name] = true
				}
				return true
			})
			out = append(out, td)
		}
	}
	return out, nil
}

// declNames returns the names a top-level declaration declares (a
// function's name, a var's names).
func declNames(d ast.Decl) map[string]bool {
	names := map[string]bool{}
	switch x := d.(type) {
	case *ast.FuncDecl:
		if x.Recv == nil {
			names[x.Name.Name] = true
		}
	case *ast.GenDecl:
		for _, sp := range x.Specs {
			switch s := sp.(type) {
			case *ast.ValueSpec:
				for _, id := range s.Names {
					names[id.Name] = true
				}
			case *ast.TypeSpec:
				names[s.Name.Name] = true
			}
		}
	}
	return names
}

func firstName(d *topDecl) string { return sortedKeys(d.names)[0] }

// hasCaseLit reports whether n holds a methodCase or []methodCase literal.
func hasCaseLit(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if cl, ok := n.(*ast.CompositeLit); ok && (isCaseType(cl.Type) || isCaseSlice(cl.Type)) {
			found = true
		}
		return !found
	})
	return found
}

// testFunc rewrites a test that runs tables: its runs, at its top level,
// and what they need.
func (r *rewriter) testFunc(d *topDecl) (*caseFunc, error) {
	fd := d.decl.(*ast.FuncDecl)
	if d.tparam == "" {
		return nil, r.errorf(fd, "%s runs tables but is not a func(t *testing.T)", fd.Name.Name)
	}
	isRun := map[ast.Stmt]bool{}
	top := map[*ast.CallExpr]bool{}
	for _, s := range fd.Body.List {
		if es, ok := s.(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok {
				if id, ok := call.Fun.(*ast.Ident); ok && r.runners[id.Name] {
					isRun[s], top[call] = true, true
				}
			}
		}
	}
	var bad error
	var stack []ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, ok := n.(*ast.Ident); ok && r.runners[id.Name] && bad == nil {
			call, _ := stack[len(stack)-1].(*ast.CallExpr)
			if call == nil || call.Fun != id || !top[call] {
				bad = r.errorf(id, "%s must be called as a statement at the top level of %s, not nested or passed", id.Name, fd.Name.Name)
			}
		}
		stack = append(stack, n)
		return true
	})
	if bad != nil {
		return nil, bad
	}
	stmts, err := r.selectStmts(fd, isRun)
	if err != nil {
		return nil, err
	}
	fn := &caseFunc{name: fd.Name.Name, file: r.f.name, param: d.tparam}
	var unused []string
	for i, s := range stmts {
		text, err := r.rewrite(s)
		if err != nil {
			return nil, err
		}
		fn.body = append(fn.body, text)
		r.p.collectImports(s, r.imps, r.used)
		// A copied variable may be used only by the parts of the test that
		// were left out.
		for _, v := range definedVars(s) {
			if !slices.ContainsFunc(stmts[i+1:], func(s ast.Stmt) bool { return freeIdents(s)[v] }) {
				unused = append(unused, v)
			}
		}
	}
	for _, v := range unused {
		fn.body = append(fn.body, "_ = "+v)
	}
	return fn, nil
}

// testParam returns the name of fd's single *testing.T parameter.
func testParam(fd *ast.FuncDecl, imps map[string]string) (string, bool) {
	ps := fd.Type.Params.List
	if len(ps) != 1 || len(ps[0].Names) != 1 || fd.Type.Results != nil {
		return "", false
	}
	star, ok := ps[0].Type.(*ast.StarExpr)
	if !ok {
		return "", false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || imps[id.Name] != "testing" || ps[0].Names[0].Name == "_" {
		return "", false
	}
	return ps[0].Names[0].Name, true
}
