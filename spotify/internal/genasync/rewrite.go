package genasync

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// edit replaces src[pos:end] (end == pos: an insertion) by text; offsets
// are the file's.
type edit struct {
	pos, end int
	text     string
}

// rewrite returns the source of n with its tables rewritten for the async
// run and the copied names (runMethodCases, the copied helpers) renamed.
func (r *rewriter) rewrite(n ast.Node) (string, error) {
	edits, err := r.tables(n)
	if err != nil {
		return "", err
	}
	skip := map[*ast.Ident]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		case *ast.Ident:
			if to, ok := r.rename[x.Name]; ok && !skip[x] {
				edits = append(edits, r.replace(x, to))
			}
		}
		return true
	})
	start := r.p.fset.Position(n.Pos()).Offset
	end := r.p.fset.Position(n.End()).Offset
	return applyEdits(r.f.src[start:end], start, edits)
}

// replace is the edit that puts text in place of n.
func (r *rewriter) replace(n ast.Node, text string) edit {
	return edit{pos: r.p.fset.Position(n.Pos()).Offset, end: r.p.fset.Position(n.End()).Offset, text: text}
}

// insert is the edit that puts text at p.
func (r *rewriter) insert(p token.Pos, text string) edit {
	o := r.p.fset.Position(p).Offset
	return edit{pos: o, end: o, text: text}
}

// applyEdits applies edits (file offsets) to src, which starts at offset
// base of its file.
func applyEdits(src []byte, base int, edits []edit) (string, error) {
	slices.SortStableFunc(edits, func(a, b edit) int { return a.pos - b.pos })
	var out strings.Builder
	at := base
	for _, e := range edits {
		if e.pos < at {
			return "", fmt.Errorf("genasync: overlapping rewrites at offset %d", e.pos)
		}
		out.Write(src[at-base : e.pos-base])
		out.WriteString(e.text)
		at = e.end
	}
	out.Write(src[at-base:])
	return out.String(), nil
}

// isCaseSlice reports whether e is []methodCase.
func isCaseSlice(e ast.Expr) bool {
	at, ok := e.(*ast.ArrayType)
	if !ok || at.Len != nil {
		return false
	}
	id, ok := at.Elt.(*ast.Ident)
	return ok && id.Name == caseType
}

func isCaseType(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == caseType
}

// tables rewrites every methodCase literal in n.
func (r *rewriter) tables(n ast.Node) ([]edit, error) {
	var edits []edit
	var err error
	done := map[*ast.CompositeLit]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok || err != nil || done[cl] {
			return err == nil
		}
		switch {
		case isCaseSlice(cl.Type):
			for _, e := range cl.Elts {
				c, ok := e.(*ast.CompositeLit)
				if !ok || (c.Type != nil && !isCaseType(c.Type)) {
					err = r.errorf(e, "a %s of the table is not a %s{...} literal", caseType, caseType)
					return false
				}
				done[c] = true
				var more []edit
				if more, err = r.caseLit(c); err != nil {
					return false
				}
				edits = append(edits, more...)
			}
		case isCaseType(cl.Type):
			done[cl] = true
			var more []edit
			if more, err = r.caseLit(cl); err != nil {
				return false
			}
			edits = append(edits, more...)
		case cl.Type != nil && mentions(cl.Type, caseType):
			err = r.errorf(cl, "a %s literal in a container other than []%s", caseType, caseType)
			return false
		}
		return true
	})
	return edits, err
}

// mentions reports whether the expression names the identifier name.
func mentions(e ast.Node, name string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// caseLit rewrites one case: its call becomes an asyncCall on the
// AsyncClient.
func (r *rewriter) caseLit(cl *ast.CompositeLit) ([]edit, error) {
	var call *ast.KeyValueExpr
	for _, e := range cl.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return nil, r.errorf(e, "a %s literal must name its fields", caseType)
		}
		key, _ := kv.Key.(*ast.Ident)
		switch {
		case key == nil:
		case key.Name == asyncField:
			return nil, r.errorf(kv, "a sync case already has an %s", asyncField)
		case key.Name == syncField:
			call = kv
		}
	}
	if call == nil {
		return nil, r.errorf(cl, "a %s without a %s", caseType, syncField)
	}
	lit, ok := call.Value.(*ast.FuncLit)
	if !ok {
		return nil, r.errorf(call.Value, "the %s of a %s must be a func literal", syncField, caseType)
	}
	ctxName, cName, ok := r.callSignature(lit.Type)
	if !ok {
		return nil, r.errorf(lit, "the %s must be func(ctx context.Context, c *Client) (any, error)", syncField)
	}
	edits := []edit{
		r.replace(call.Key, asyncField),
		r.replace(lit.Type, fmt.Sprintf("func(%s context.Context, %s *AsyncClient) (any, error)", ctxName, asyncClient)),
	}
	more, err := r.callBody(lit.Body, ctxName, cName)
	if err != nil {
		return nil, err
	}
	return append(edits, more...), nil
}

// callSignature checks func(ctx context.Context, c *Client) (any, error)
// and returns the parameters' names.
func (r *rewriter) callSignature(ft *ast.FuncType) (ctxName, cName string, ok bool) {
	var names []string
	var types []ast.Expr
	for _, fl := range ft.Params.List {
		for _, n := range fl.Names {
			names = append(names, n.Name)
			types = append(types, fl.Type)
		}
	}
	if len(names) != 2 || !isContext(types[0], r.imps) || names[0] == "_" || names[1] == "_" {
		return "", "", false
	}
	star, ok := types[1].(*ast.StarExpr)
	if !ok || !isIdent(star.X, "Client") {
		return "", "", false
	}
	if ft.Results == nil || len(ft.Results.List) != 2 || !isIdent(ft.Results.List[0].Type, "any") || !isError(ft.Results.List[1].Type) {
		return "", "", false
	}
	return names[0], names[1], true
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// callBody rewrites every c.Svc.Method(args) of a call's body into the
// async method awaited on ctx: ac.Svc.Method(args).Await(ctx), or
// awaitErr(ctx, ac.Svc.Method(args)) for a method that returns only an
// error, so the expression keeps the sync call's results. Any other use of
// c is an error.
func (r *rewriter) callBody(body *ast.BlockStmt, ctxName, cName string) ([]edit, error) {
	var edits []edit
	var err error
	var stack []ast.Node
	calls := 0
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || err != nil {
			return true
		}
		switch id.Name {
		case asyncClient, awaitErr:
			err = r.errorf(id, "the name %s is taken by the async rewrite: rename it", id.Name)
			return true
		case cName:
		default:
			return true
		}
		// stack: ..., call, sel2 (c.Svc.Method), sel1 (c.Svc), id
		k := len(stack)
		var sel1, sel2 *ast.SelectorExpr
		var call *ast.CallExpr
		if k >= 4 {
			sel1, _ = stack[k-2].(*ast.SelectorExpr)
			sel2, _ = stack[k-3].(*ast.SelectorExpr)
			call, _ = stack[k-4].(*ast.CallExpr)
		}
		if sel1 == nil || sel1.X != id || sel2 == nil || sel2.X != sel1 || call == nil || call.Fun != sel2 {
			err = r.errorf(id, "the client %s is used other than in %s.Service.Method(...): the async rewrite cannot follow it", cName, cName)
			return true
		}
		m := r.idx[sel1.Sel.Name][sel2.Sel.Name]
		if m == nil {
			err = r.errorf(sel2, "%s.%s.%s is not a service method the AsyncClient has", cName, sel1.Sel.Name, sel2.Sel.Name)
			return true
		}
		calls++
		r.covered[sel1.Sel.Name+"."+sel2.Sel.Name] = true
		if m.errorOnly {
			edits = append(edits, r.replace(id, awaitErr+"("+ctxName+", "+asyncClient), r.insert(call.End(), ")"))
		} else {
			edits = append(edits, r.replace(id, asyncClient), r.insert(call.End(), ".Await("+ctxName+")"))
		}
		return true
	})
	if err == nil && calls == 0 {
		err = r.errorf(body, "the %s calls no service method", syncField)
	}
	return edits, err
}
