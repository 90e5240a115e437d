package genasync

import (
	"go/ast"
	"go/token"
	"maps"
	"slices"
	"strings"
)

// selectStmts returns the statements of fd's body the async run needs, in
// order: the table runs, and before them the declarations of the names
// they use (transitively) and the simple statements that may change those
// names (an assignment to one, a method call on one, a call given its
// address). A compound statement that touches a needed name cannot be
// judged and is an error.
func (r *rewriter) selectStmts(fd *ast.FuncDecl, isRun map[ast.Stmt]bool) ([]ast.Stmt, error) {
	// Only the body's own top-level declarations can be needed: the
	// parameter, imports and package names are there anyway.
	locals := map[string]bool{}
	for _, s := range fd.Body.List {
		for _, n := range definedNames(s) {
			locals[n] = true
		}
	}
	needed := map[string]bool{}
	var keep []ast.Stmt
	list := fd.Body.List
	for i := len(list) - 1; i >= 0; i-- {
		s := list[i]
		refs := freeIdents(s)
		switch st := s.(type) {
		case *ast.ExprStmt:
			if !isRun[s] && (isHarnessCall(st) || !mutatesAny(st.X, needed)) {
				continue
			}
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				if !definesAny(s, needed) {
					continue
				}
			} else if !rootsAny(st.Lhs, needed) {
				continue
			}
		case *ast.IncDecStmt:
			if !rootsAny([]ast.Expr{st.X}, needed) {
				continue
			}
		case *ast.DeclStmt:
			if !definesAny(s, needed) {
				continue
			}
		case *ast.EmptyStmt:
			continue
		default:
			if touchesAny(refs, needed) {
				return nil, r.errorf(s, "cannot tell whether this statement prepares the cases of %s: declare what the cases use with := or var before the table", fd.Name.Name)
			}
			continue
		}
		keep = append(keep, s)
		for n := range refs {
			if locals[n] {
				needed[n] = true
			}
		}
	}
	slices.Reverse(keep)
	return keep, nil
}

// mutatesAny reports whether the expression statement e may change one of
// names: a method call on one, or a call given the address of one.
func mutatesAny(e ast.Expr, names map[string]bool) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok && rootsAny([]ast.Expr{sel.X}, names) {
		return true
	}
	for _, a := range call.Args {
		if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND && rootsAny([]ast.Expr{u.X}, names) {
			return true
		}
	}
	return false
}

// rootsAny reports whether one of es is rooted at one of names: x, x.f,
// x[i], *x, (x).
func rootsAny(es []ast.Expr, names map[string]bool) bool {
	for _, e := range es {
		for e != nil {
			switch x := e.(type) {
			case *ast.Ident:
				if names[x.Name] {
					return true
				}
				e = nil
			case *ast.SelectorExpr:
				e = x.X
			case *ast.IndexExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.ParenExpr:
				e = x.X
			default:
				e = nil
			}
		}
	}
	return false
}

// isHarnessCall reports whether s runs test cases or subtests (another
// table, t.Run): those are never part of a table's preparation.
func isHarnessCall(s *ast.ExprStmt) bool {
	call, ok := s.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		return strings.HasPrefix(fun.Name, "run") && strings.HasSuffix(fun.Name, "Cases")
	case *ast.SelectorExpr:
		return fun.Sel.Name == "Run"
	}
	return false
}

// freeIdents returns the names n refers to from outside, approximated:
// every identifier but selected field or method names, keys of keyed
// literals, and, inside a func literal, the names it declares itself
// (parameters, results, :=, var, range variables).
func freeIdents(n ast.Node) map[string]bool {
	refs := map[string]bool{}
	collectFree(n, map[string]bool{}, refs)
	return refs
}

func collectFree(n ast.Node, local, refs map[string]bool) {
	skip := map[*ast.Ident]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			inner := maps.Clone(local)
			for name := range declaredIn(x) {
				inner[name] = true
			}
			collectFree(x.Body, inner, refs)
			return false
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Ident:
			if !skip[x] && !local[x.Name] && x.Name != "_" {
				refs[x.Name] = true
			}
		}
		return true
	})
}

// declaredIn returns the names a func literal declares anywhere in it.
func declaredIn(fl *ast.FuncLit) map[string]bool {
	names := map[string]bool{}
	fields := []*ast.FieldList{fl.Type.Params, fl.Type.Results}
	for _, l := range fields {
		if l == nil {
			continue
		}
		for _, f := range l.List {
			for _, id := range f.Names {
				names[id.Name] = true
			}
		}
	}
	ast.Inspect(fl.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				names[id.Name] = true
			}
		}
		return true
	})
	return names
}

func touchesAny[V any](refs map[string]bool, names map[string]V) bool {
	for n := range refs {
		if _, ok := names[n]; ok {
			return true
		}
	}
	return false
}

// definedNames returns the names s declares (:=, var, const, type).
func definedNames(s ast.Stmt) []string {
	var out []string
	switch st := s.(type) {
	case *ast.AssignStmt:
		if st.Tok == token.DEFINE {
			for _, l := range st.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					out = append(out, id.Name)
				}
			}
		}
	case *ast.DeclStmt:
		gd := st.Decl.(*ast.GenDecl)
		for _, sp := range gd.Specs {
			switch x := sp.(type) {
			case *ast.ValueSpec:
				for _, id := range x.Names {
					if id.Name != "_" {
						out = append(out, id.Name)
					}
				}
			case *ast.TypeSpec:
				out = append(out, x.Name.Name)
			}
		}
	}
	return out
}

// definedVars returns the variables s declares (:= or var): those an
// unused copy would make the compiler reject.
func definedVars(s ast.Stmt) []string {
	if ds, ok := s.(*ast.DeclStmt); ok && ds.Decl.(*ast.GenDecl).Tok != token.VAR {
		return nil
	}
	return definedNames(s)
}

func definesAny(s ast.Stmt, names map[string]bool) bool {
	for _, n := range definedNames(s) {
		if names[n] {
			return true
		}
	}
	return false
}
