package genasync

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"strings"
)

// service is one service field of Client and the methods of its type.
type service struct {
	field   string // Albums
	typ     string // AlbumsService
	methods []*method
}

// method is one exported method of a service.
type method struct {
	name      string
	doc       []string // the raw comment lines
	ctx       string   // the context parameter's name
	params    []param  // after ctx
	result    string   // the R of (R, error); "" for error only
	variadic  bool
	imports   map[string]string // the packages the signature names
	errorOnly bool
}

type param struct{ name, typ string }

// services finds Client's service fields and the methods of their types.
func (p *pkgFiles) services() ([]*service, error) {
	var svcs []*service
	byType := map[string]*service{}
	for _, f := range p.srcs {
		for _, d := range f.ast.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if ts.Name.Name != "Client" || !ok {
					continue
				}
				for _, fl := range st.Fields.List {
					star, ok := fl.Type.(*ast.StarExpr)
					if !ok {
						continue
					}
					id, ok := star.X.(*ast.Ident)
					if !ok || !strings.HasSuffix(id.Name, "Service") {
						continue
					}
					for _, n := range fl.Names {
						if !n.IsExported() {
							continue
						}
						if byType[id.Name] != nil {
							return nil, fmt.Errorf("genasync: Client has two fields of type *%s", id.Name)
						}
						svc := &service{field: n.Name, typ: id.Name}
						svcs = append(svcs, svc)
						byType[id.Name] = svc
					}
				}
			}
		}
	}
	if len(svcs) == 0 {
		return nil, fmt.Errorf("genasync: no type Client with *XxxService fields in package %s", p.name)
	}
	for _, f := range p.srcs {
		imps := f.imports()
		for _, d := range f.ast.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() {
				continue
			}
			recv := recvType(fd)
			svc := byType[recv]
			if svc == nil {
				if strings.HasSuffix(recv, "Service") && !strings.HasPrefix(recv, "Async") && isServiceType(p, recv) {
					return nil, fmt.Errorf("genasync: %s: %s has methods but no field in Client: add the field (and to initServices)", p.pos(fd), recv)
				}
				continue
			}
			m, err := p.method(imps, fd)
			if err != nil {
				return nil, err
			}
			svc.methods = append(svc.methods, m)
		}
	}
	for _, s := range svcs {
		if len(s.methods) == 0 {
			return nil, fmt.Errorf("genasync: %s has no methods", s.typ)
		}
	}
	return svcs, nil
}

// checkAsyncClient checks that the hand-written AsyncClient struct has, for
// every service of Client, a field of the same name and type *AsyncXxx
// (declared there rather than generated, so that go doc shows each one with
// its comment), and nothing embedded that would hide them.
func (p *pkgFiles) checkAsyncClient(svcs []*service) error {
	var st *ast.StructType
	var at ast.Node
	for _, f := range p.srcs {
		for _, d := range f.ast.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if t, ok := ts.Type.(*ast.StructType); ok && ts.Name.Name == "AsyncClient" {
					st, at = t, ts
				}
			}
		}
	}
	if st == nil {
		return fmt.Errorf("genasync: no type AsyncClient struct in package %s: declare it, with a field per service of Client", p.name)
	}
	type field struct {
		typ string
		doc bool
		at  ast.Node
	}
	fields := map[string]field{}
	for _, fl := range st.Fields.List {
		if len(fl.Names) == 0 {
			return fmt.Errorf("genasync: %s: AsyncClient embeds %s: declare each service as a named field, so that go doc shows it", p.pos(fl), p.exprString(fl.Type))
		}
		for _, n := range fl.Names {
			fields[n.Name] = field{typ: p.exprString(fl.Type), doc: fl.Doc != nil, at: fl}
		}
	}
	want := map[string]bool{}
	for _, s := range svcs {
		want[s.field] = true
		f, ok := fields[s.field]
		switch {
		case !ok:
			return fmt.Errorf("genasync: %s: AsyncClient has no field %s: add\n\t// %s is the asynchronous form of Client.%s.\n\t%s *Async%s",
				p.pos(at), s.field, s.field, s.field, s.field, s.typ)
		case f.typ != "*Async"+s.typ:
			return fmt.Errorf("genasync: %s: AsyncClient.%s is %s, want *Async%s", p.pos(f.at), s.field, f.typ, s.typ)
		case !f.doc:
			return fmt.Errorf("genasync: %s: AsyncClient.%s has no doc comment", p.pos(f.at), s.field)
		}
	}
	for _, name := range sortedKeys(fields) {
		if f := fields[name]; !want[name] && strings.HasPrefix(f.typ, "*Async") && strings.HasSuffix(f.typ, "Service") {
			return fmt.Errorf("genasync: %s: AsyncClient.%s is not a service of Client: remove it", p.pos(f.at), name)
		}
	}
	return nil
}

// isServiceType reports whether name is declared as `type name service`.
func isServiceType(p *pkgFiles, name string) bool {
	for _, f := range p.srcs {
		for _, d := range f.ast.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if id, ok := ts.Type.(*ast.Ident); ok && ts.Name.Name == name && id.Name == "service" {
					return true
				}
			}
		}
	}
	return false
}

// recvType is the type name of a method's pointer receiver ("" otherwise).
func recvType(fd *ast.FuncDecl) string {
	if len(fd.Recv.List) != 1 {
		return ""
	}
	star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return ""
	}
	id, ok := star.X.(*ast.Ident)
	if !ok {
		return ""
	}
	return id.Name
}

// method reads an exported service method: (ctx context.Context, ...)
// returning (R, error) or error.
func (p *pkgFiles) method(imps map[string]string, fd *ast.FuncDecl) (*method, error) {
	where := fmt.Sprintf("%s: %s.%s", p.pos(fd), recvType(fd), fd.Name.Name)
	bad := func(why string) error {
		return fmt.Errorf("genasync: %s: %s; an exported service method must be (ctx context.Context, args...) (R, error) or error", where, why)
	}
	if fd.Type.TypeParams != nil {
		return nil, bad("type parameters")
	}
	m := &method{name: fd.Name.Name, imports: map[string]string{}}
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			m.doc = append(m.doc, c.Text)
		}
	}
	var params []param
	for _, fl := range fd.Type.Params.List {
		if _, ok := fl.Type.(*ast.Ellipsis); ok {
			m.variadic = true
		}
		typ := p.exprString(fl.Type)
		p.collectImports(fl.Type, imps, m.imports)
		if len(fl.Names) == 0 {
			params = append(params, param{typ: typ})
		}
		for _, n := range fl.Names {
			params = append(params, param{name: n.Name, typ: typ})
		}
	}
	if len(params) == 0 || !isContext(fd.Type.Params.List[0].Type, imps) {
		return nil, bad("the first parameter is not a context.Context")
	}
	used := map[string]bool{}
	for _, pa := range params {
		used[pa.name] = true
	}
	for i := range params {
		if params[i].name == "" || params[i].name == "_" {
			name := "ctx"
			if i > 0 {
				name = fmt.Sprintf("arg%d", i)
			}
			for used[name] {
				name += "_"
			}
			used[name] = true
			params[i].name = name
		}
	}
	m.ctx, m.params = params[0].name, params[1:]
	var results []ast.Expr
	if fd.Type.Results != nil {
		for _, fl := range fd.Type.Results.List {
			n := max(len(fl.Names), 1)
			for range n {
				results = append(results, fl.Type)
			}
		}
	}
	switch {
	case len(results) == 1 && isError(results[0]):
		m.errorOnly = true
	case len(results) == 2 && isError(results[1]):
		m.result = p.exprString(results[0])
		p.collectImports(results[0], imps, m.imports)
	default:
		return nil, bad("its results are not (R, error) or error")
	}
	return m, nil
}

func isError(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "error"
}

// isContext reports whether e is context.Context under the file's imports.
func isContext(e ast.Expr, imps map[string]string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Context" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && imps[id.Name] == "context"
}

func (p *pkgFiles) exprString(e ast.Expr) string {
	var b strings.Builder
	_ = printer.Fprint(&b, p.fset, e)
	return b.String()
}

// collectImports adds to dst the imports of imps that n names (pkg.Name).
func (p *pkgFiles) collectImports(n ast.Node, imps, dst map[string]string) {
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if path, ok := imps[id.Name]; ok {
					dst[id.Name] = path
				}
			}
		}
		return true
	})
}

// emitServices writes async_services_gen.go.
func (p *pkgFiles) emitServices(svcs []*service) ([]byte, error) {
	imps := map[string]string{"context": "context"}
	for _, s := range svcs {
		for _, m := range s.methods {
			if err := mergeImports(imps, m.imports); err != nil {
				return nil, err
			}
		}
	}
	var b bytes.Buffer
	b.WriteString(header)
	fmt.Fprintf(&b, "package %s\n\n", p.name)
	if err := importBlock(&b, imps); err != nil {
		return nil, err
	}
	b.WriteString("// initServices makes ac's services.\nfunc (ac *AsyncClient) initServices() {\n")
	for _, s := range svcs {
		fmt.Fprintf(&b, "\tac.%s = &Async%s{ac: ac}\n", s.field, s.typ)
	}
	b.WriteString("}\n")
	for _, s := range svcs {
		b.WriteByte('\n')
		b.WriteString(wrapComment(fmt.Sprintf("Async%s is the asynchronous form of [%s]: ac.%s. Each method submits the call and returns its Future; see [AsyncClient].", s.typ, s.typ, s.field)))
		fmt.Fprintf(&b, "type Async%s struct{ ac *AsyncClient }\n", s.typ)
		for _, m := range s.methods {
			emitMethod(&b, s, m)
		}
	}
	return formatSource(ServicesFile, b.Bytes())
}

// emitMethod writes one async method.
func emitMethod(b *bytes.Buffer, s *service, m *method) {
	recv := "s"
	names := map[string]bool{m.ctx: true}
	for _, pa := range m.params {
		names[pa.name] = true
	}
	for names[recv] {
		recv += "s"
	}
	result, ret := m.result, ""
	if m.errorOnly {
		result, ret = "struct{}", "struct{}{}, "
	}
	b.WriteByte('\n')
	b.WriteString(wrapComment(fmt.Sprintf("%s is [%s.%s], run asynchronously: it submits the call and returns its Future.", m.name, s.typ, m.name)))
	if len(m.doc) > 0 {
		b.WriteString("//\n")
		for _, line := range m.doc {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	sig := []string{m.ctx + " context.Context"}
	args := []string{m.ctx}
	for i, pa := range m.params {
		sig = append(sig, pa.name+" "+pa.typ)
		arg := pa.name
		if m.variadic && i == len(m.params)-1 {
			arg += "..."
		}
		args = append(args, arg)
	}
	fmt.Fprintf(b, "func (%s *Async%s) %s(%s) *Future[%s] {\n", recv, s.typ, m.name, strings.Join(sig, ", "), result)
	fmt.Fprintf(b, "\treturn submit(%s.ac, %s, func(%s context.Context) (%s, error) {\n", recv, m.ctx, m.ctx, result)
	fmt.Fprintf(b, "\t\treturn %s%s.ac.c.%s.%s(%s)\n", ret, recv, s.field, m.name, strings.Join(args, ", "))
	b.WriteString("\t})\n}\n")
}

// methodIndex maps Client field and method name to the method.
func methodIndex(svcs []*service) map[string]map[string]*method {
	idx := map[string]map[string]*method{}
	for _, s := range svcs {
		idx[s.field] = map[string]*method{}
		for _, m := range s.methods {
			idx[s.field][m.name] = m
		}
	}
	return idx
}
