// ../../node_modules/@lit/reactive-element/css-tag.js
var t = globalThis;
var e = t.ShadowRoot && (void 0 === t.ShadyCSS || t.ShadyCSS.nativeShadow) && "adoptedStyleSheets" in Document.prototype && "replace" in CSSStyleSheet.prototype;
var s = /* @__PURE__ */ Symbol();
var o = /* @__PURE__ */ new WeakMap();
var n = class {
  constructor(t3, e4, o5) {
    if (this._$cssResult$ = true, o5 !== s) throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");
    this.cssText = t3, this.t = e4;
  }
  get styleSheet() {
    let t3 = this.o;
    const s4 = this.t;
    if (e && void 0 === t3) {
      const e4 = void 0 !== s4 && 1 === s4.length;
      e4 && (t3 = o.get(s4)), void 0 === t3 && ((this.o = t3 = new CSSStyleSheet()).replaceSync(this.cssText), e4 && o.set(s4, t3));
    }
    return t3;
  }
  toString() {
    return this.cssText;
  }
};
var r = (t3) => new n("string" == typeof t3 ? t3 : t3 + "", void 0, s);
var i = (t3, ...e4) => {
  const o5 = 1 === t3.length ? t3[0] : e4.reduce((e5, s4, o6) => e5 + ((t4) => {
    if (true === t4._$cssResult$) return t4.cssText;
    if ("number" == typeof t4) return t4;
    throw Error("Value passed to 'css' function must be a 'css' function result: " + t4 + ". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.");
  })(s4) + t3[o6 + 1], t3[0]);
  return new n(o5, t3, s);
};
var S = (s4, o5) => {
  if (e) s4.adoptedStyleSheets = o5.map((t3) => t3 instanceof CSSStyleSheet ? t3 : t3.styleSheet);
  else for (const e4 of o5) {
    const o6 = document.createElement("style"), n4 = t.litNonce;
    void 0 !== n4 && o6.setAttribute("nonce", n4), o6.textContent = e4.cssText, s4.appendChild(o6);
  }
};
var c = e ? (t3) => t3 : (t3) => t3 instanceof CSSStyleSheet ? ((t4) => {
  let e4 = "";
  for (const s4 of t4.cssRules) e4 += s4.cssText;
  return r(e4);
})(t3) : t3;

// ../../node_modules/@lit/reactive-element/reactive-element.js
var { is: i2, defineProperty: e2, getOwnPropertyDescriptor: h, getOwnPropertyNames: r2, getOwnPropertySymbols: o2, getPrototypeOf: n2 } = Object;
var a = globalThis;
var c2 = a.trustedTypes;
var l = c2 ? c2.emptyScript : "";
var p = a.reactiveElementPolyfillSupport;
var d = (t3, s4) => t3;
var u = { toAttribute(t3, s4) {
  switch (s4) {
    case Boolean:
      t3 = t3 ? l : null;
      break;
    case Object:
    case Array:
      t3 = null == t3 ? t3 : JSON.stringify(t3);
  }
  return t3;
}, fromAttribute(t3, s4) {
  let i5 = t3;
  switch (s4) {
    case Boolean:
      i5 = null !== t3;
      break;
    case Number:
      i5 = null === t3 ? null : Number(t3);
      break;
    case Object:
    case Array:
      try {
        i5 = JSON.parse(t3);
      } catch (t4) {
        i5 = null;
      }
  }
  return i5;
} };
var f = (t3, s4) => !i2(t3, s4);
var b = { attribute: true, type: String, converter: u, reflect: false, useDefault: false, hasChanged: f };
Symbol.metadata ??= /* @__PURE__ */ Symbol("metadata"), a.litPropertyMetadata ??= /* @__PURE__ */ new WeakMap();
var y = class extends HTMLElement {
  static addInitializer(t3) {
    this._$Ei(), (this.l ??= []).push(t3);
  }
  static get observedAttributes() {
    return this.finalize(), this._$Eh && [...this._$Eh.keys()];
  }
  static createProperty(t3, s4 = b) {
    if (s4.state && (s4.attribute = false), this._$Ei(), this.prototype.hasOwnProperty(t3) && ((s4 = Object.create(s4)).wrapped = true), this.elementProperties.set(t3, s4), !s4.noAccessor) {
      const i5 = /* @__PURE__ */ Symbol(), h3 = this.getPropertyDescriptor(t3, i5, s4);
      void 0 !== h3 && e2(this.prototype, t3, h3);
    }
  }
  static getPropertyDescriptor(t3, s4, i5) {
    const { get: e4, set: r4 } = h(this.prototype, t3) ?? { get() {
      return this[s4];
    }, set(t4) {
      this[s4] = t4;
    } };
    return { get: e4, set(s5) {
      const h3 = e4?.call(this);
      r4?.call(this, s5), this.requestUpdate(t3, h3, i5);
    }, configurable: true, enumerable: true };
  }
  static getPropertyOptions(t3) {
    return this.elementProperties.get(t3) ?? b;
  }
  static _$Ei() {
    if (this.hasOwnProperty(d("elementProperties"))) return;
    const t3 = n2(this);
    t3.finalize(), void 0 !== t3.l && (this.l = [...t3.l]), this.elementProperties = new Map(t3.elementProperties);
  }
  static finalize() {
    if (this.hasOwnProperty(d("finalized"))) return;
    if (this.finalized = true, this._$Ei(), this.hasOwnProperty(d("properties"))) {
      const t4 = this.properties, s4 = [...r2(t4), ...o2(t4)];
      for (const i5 of s4) this.createProperty(i5, t4[i5]);
    }
    const t3 = this[Symbol.metadata];
    if (null !== t3) {
      const s4 = litPropertyMetadata.get(t3);
      if (void 0 !== s4) for (const [t4, i5] of s4) this.elementProperties.set(t4, i5);
    }
    this._$Eh = /* @__PURE__ */ new Map();
    for (const [t4, s4] of this.elementProperties) {
      const i5 = this._$Eu(t4, s4);
      void 0 !== i5 && this._$Eh.set(i5, t4);
    }
    this.elementStyles = this.finalizeStyles(this.styles);
  }
  static finalizeStyles(s4) {
    const i5 = [];
    if (Array.isArray(s4)) {
      const e4 = new Set(s4.flat(1 / 0).reverse());
      for (const s5 of e4) i5.unshift(c(s5));
    } else void 0 !== s4 && i5.push(c(s4));
    return i5;
  }
  static _$Eu(t3, s4) {
    const i5 = s4.attribute;
    return false === i5 ? void 0 : "string" == typeof i5 ? i5 : "string" == typeof t3 ? t3.toLowerCase() : void 0;
  }
  constructor() {
    super(), this._$Ep = void 0, this.isUpdatePending = false, this.hasUpdated = false, this._$Em = null, this._$Ev();
  }
  _$Ev() {
    this._$ES = new Promise((t3) => this.enableUpdating = t3), this._$AL = /* @__PURE__ */ new Map(), this._$E_(), this.requestUpdate(), this.constructor.l?.forEach((t3) => t3(this));
  }
  addController(t3) {
    (this._$EO ??= /* @__PURE__ */ new Set()).add(t3), void 0 !== this.renderRoot && this.isConnected && t3.hostConnected?.();
  }
  removeController(t3) {
    this._$EO?.delete(t3);
  }
  _$E_() {
    const t3 = /* @__PURE__ */ new Map(), s4 = this.constructor.elementProperties;
    for (const i5 of s4.keys()) this.hasOwnProperty(i5) && (t3.set(i5, this[i5]), delete this[i5]);
    t3.size > 0 && (this._$Ep = t3);
  }
  createRenderRoot() {
    const t3 = this.shadowRoot ?? this.attachShadow(this.constructor.shadowRootOptions);
    return S(t3, this.constructor.elementStyles), t3;
  }
  connectedCallback() {
    this.renderRoot ??= this.createRenderRoot(), this.enableUpdating(true), this._$EO?.forEach((t3) => t3.hostConnected?.());
  }
  enableUpdating(t3) {
  }
  disconnectedCallback() {
    this._$EO?.forEach((t3) => t3.hostDisconnected?.());
  }
  attributeChangedCallback(t3, s4, i5) {
    this._$AK(t3, i5);
  }
  _$ET(t3, s4) {
    const i5 = this.constructor.elementProperties.get(t3), e4 = this.constructor._$Eu(t3, i5);
    if (void 0 !== e4 && true === i5.reflect) {
      const h3 = (void 0 !== i5.converter?.toAttribute ? i5.converter : u).toAttribute(s4, i5.type);
      this._$Em = t3, null == h3 ? this.removeAttribute(e4) : this.setAttribute(e4, h3), this._$Em = null;
    }
  }
  _$AK(t3, s4) {
    const i5 = this.constructor, e4 = i5._$Eh.get(t3);
    if (void 0 !== e4 && this._$Em !== e4) {
      const t4 = i5.getPropertyOptions(e4), h3 = "function" == typeof t4.converter ? { fromAttribute: t4.converter } : void 0 !== t4.converter?.fromAttribute ? t4.converter : u;
      this._$Em = e4;
      const r4 = h3.fromAttribute(s4, t4.type);
      this[e4] = r4 ?? this._$Ej?.get(e4) ?? r4, this._$Em = null;
    }
  }
  requestUpdate(t3, s4, i5, e4 = false, h3) {
    if (void 0 !== t3) {
      const r4 = this.constructor;
      if (false === e4 && (h3 = this[t3]), i5 ??= r4.getPropertyOptions(t3), !((i5.hasChanged ?? f)(h3, s4) || i5.useDefault && i5.reflect && h3 === this._$Ej?.get(t3) && !this.hasAttribute(r4._$Eu(t3, i5)))) return;
      this.C(t3, s4, i5);
    }
    false === this.isUpdatePending && (this._$ES = this._$EP());
  }
  C(t3, s4, { useDefault: i5, reflect: e4, wrapped: h3 }, r4) {
    i5 && !(this._$Ej ??= /* @__PURE__ */ new Map()).has(t3) && (this._$Ej.set(t3, r4 ?? s4 ?? this[t3]), true !== h3 || void 0 !== r4) || (this._$AL.has(t3) || (this.hasUpdated || i5 || (s4 = void 0), this._$AL.set(t3, s4)), true === e4 && this._$Em !== t3 && (this._$Eq ??= /* @__PURE__ */ new Set()).add(t3));
  }
  async _$EP() {
    this.isUpdatePending = true;
    try {
      await this._$ES;
    } catch (t4) {
      Promise.reject(t4);
    }
    const t3 = this.scheduleUpdate();
    return null != t3 && await t3, !this.isUpdatePending;
  }
  scheduleUpdate() {
    return this.performUpdate();
  }
  performUpdate() {
    if (!this.isUpdatePending) return;
    if (!this.hasUpdated) {
      if (this.renderRoot ??= this.createRenderRoot(), this._$Ep) {
        for (const [t5, s5] of this._$Ep) this[t5] = s5;
        this._$Ep = void 0;
      }
      const t4 = this.constructor.elementProperties;
      if (t4.size > 0) for (const [s5, i5] of t4) {
        const { wrapped: t5 } = i5, e4 = this[s5];
        true !== t5 || this._$AL.has(s5) || void 0 === e4 || this.C(s5, void 0, i5, e4);
      }
    }
    let t3 = false;
    const s4 = this._$AL;
    try {
      t3 = this.shouldUpdate(s4), t3 ? (this.willUpdate(s4), this._$EO?.forEach((t4) => t4.hostUpdate?.()), this.update(s4)) : this._$EM();
    } catch (s5) {
      throw t3 = false, this._$EM(), s5;
    }
    t3 && this._$AE(s4);
  }
  willUpdate(t3) {
  }
  _$AE(t3) {
    this._$EO?.forEach((t4) => t4.hostUpdated?.()), this.hasUpdated || (this.hasUpdated = true, this.firstUpdated(t3)), this.updated(t3);
  }
  _$EM() {
    this._$AL = /* @__PURE__ */ new Map(), this.isUpdatePending = false;
  }
  get updateComplete() {
    return this.getUpdateComplete();
  }
  getUpdateComplete() {
    return this._$ES;
  }
  shouldUpdate(t3) {
    return true;
  }
  update(t3) {
    this._$Eq &&= this._$Eq.forEach((t4) => this._$ET(t4, this[t4])), this._$EM();
  }
  updated(t3) {
  }
  firstUpdated(t3) {
  }
};
y.elementStyles = [], y.shadowRootOptions = { mode: "open" }, y[d("elementProperties")] = /* @__PURE__ */ new Map(), y[d("finalized")] = /* @__PURE__ */ new Map(), p?.({ ReactiveElement: y }), (a.reactiveElementVersions ??= []).push("2.1.2");

// ../../node_modules/lit-html/lit-html.js
var t2 = globalThis;
var i3 = (t3) => t3;
var s2 = t2.trustedTypes;
var e3 = s2 ? s2.createPolicy("lit-html", { createHTML: (t3) => t3 }) : void 0;
var h2 = "$lit$";
var o3 = `lit$${Math.random().toFixed(9).slice(2)}$`;
var n3 = "?" + o3;
var r3 = `<${n3}>`;
var l2 = document;
var c3 = () => l2.createComment("");
var a2 = (t3) => null === t3 || "object" != typeof t3 && "function" != typeof t3;
var u2 = Array.isArray;
var d2 = (t3) => u2(t3) || "function" == typeof t3?.[Symbol.iterator];
var f2 = "[ 	\n\f\r]";
var v = /<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g;
var _ = /-->/g;
var m = />/g;
var p2 = RegExp(`>|${f2}(?:([^\\s"'>=/]+)(${f2}*=${f2}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`, "g");
var g = /'/g;
var $ = /"/g;
var y2 = /^(?:script|style|textarea|title)$/i;
var x = (t3) => (i5, ...s4) => ({ _$litType$: t3, strings: i5, values: s4 });
var b2 = x(1);
var w = x(2);
var T = x(3);
var E = /* @__PURE__ */ Symbol.for("lit-noChange");
var A = /* @__PURE__ */ Symbol.for("lit-nothing");
var C = /* @__PURE__ */ new WeakMap();
var P = l2.createTreeWalker(l2, 129);
function V(t3, i5) {
  if (!u2(t3) || !t3.hasOwnProperty("raw")) throw Error("invalid template strings array");
  return void 0 !== e3 ? e3.createHTML(i5) : i5;
}
var N = (t3, i5) => {
  const s4 = t3.length - 1, e4 = [];
  let n4, l3 = 2 === i5 ? "<svg>" : 3 === i5 ? "<math>" : "", c4 = v;
  for (let i6 = 0; i6 < s4; i6++) {
    const s5 = t3[i6];
    let a3, u3, d3 = -1, f3 = 0;
    for (; f3 < s5.length && (c4.lastIndex = f3, u3 = c4.exec(s5), null !== u3); ) f3 = c4.lastIndex, c4 === v ? "!--" === u3[1] ? c4 = _ : void 0 !== u3[1] ? c4 = m : void 0 !== u3[2] ? (y2.test(u3[2]) && (n4 = RegExp("</" + u3[2], "g")), c4 = p2) : void 0 !== u3[3] && (c4 = p2) : c4 === p2 ? ">" === u3[0] ? (c4 = n4 ?? v, d3 = -1) : void 0 === u3[1] ? d3 = -2 : (d3 = c4.lastIndex - u3[2].length, a3 = u3[1], c4 = void 0 === u3[3] ? p2 : '"' === u3[3] ? $ : g) : c4 === $ || c4 === g ? c4 = p2 : c4 === _ || c4 === m ? c4 = v : (c4 = p2, n4 = void 0);
    const x2 = c4 === p2 && t3[i6 + 1].startsWith("/>") ? " " : "";
    l3 += c4 === v ? s5 + r3 : d3 >= 0 ? (e4.push(a3), s5.slice(0, d3) + h2 + s5.slice(d3) + o3 + x2) : s5 + o3 + (-2 === d3 ? i6 : x2);
  }
  return [V(t3, l3 + (t3[s4] || "<?>") + (2 === i5 ? "</svg>" : 3 === i5 ? "</math>" : "")), e4];
};
var S2 = class _S {
  constructor({ strings: t3, _$litType$: i5 }, e4) {
    let r4;
    this.parts = [];
    let l3 = 0, a3 = 0;
    const u3 = t3.length - 1, d3 = this.parts, [f3, v2] = N(t3, i5);
    if (this.el = _S.createElement(f3, e4), P.currentNode = this.el.content, 2 === i5 || 3 === i5) {
      const t4 = this.el.content.firstChild;
      t4.replaceWith(...t4.childNodes);
    }
    for (; null !== (r4 = P.nextNode()) && d3.length < u3; ) {
      if (1 === r4.nodeType) {
        if (r4.hasAttributes()) for (const t4 of r4.getAttributeNames()) if (t4.endsWith(h2)) {
          const i6 = v2[a3++], s4 = r4.getAttribute(t4).split(o3), e5 = /([.?@])?(.*)/.exec(i6);
          d3.push({ type: 1, index: l3, name: e5[2], strings: s4, ctor: "." === e5[1] ? I : "?" === e5[1] ? L : "@" === e5[1] ? z : H }), r4.removeAttribute(t4);
        } else t4.startsWith(o3) && (d3.push({ type: 6, index: l3 }), r4.removeAttribute(t4));
        if (y2.test(r4.tagName)) {
          const t4 = r4.textContent.split(o3), i6 = t4.length - 1;
          if (i6 > 0) {
            r4.textContent = s2 ? s2.emptyScript : "";
            for (let s4 = 0; s4 < i6; s4++) r4.append(t4[s4], c3()), P.nextNode(), d3.push({ type: 2, index: ++l3 });
            r4.append(t4[i6], c3());
          }
        }
      } else if (8 === r4.nodeType) if (r4.data === n3) d3.push({ type: 2, index: l3 });
      else {
        let t4 = -1;
        for (; -1 !== (t4 = r4.data.indexOf(o3, t4 + 1)); ) d3.push({ type: 7, index: l3 }), t4 += o3.length - 1;
      }
      l3++;
    }
  }
  static createElement(t3, i5) {
    const s4 = l2.createElement("template");
    return s4.innerHTML = t3, s4;
  }
};
function M(t3, i5, s4 = t3, e4) {
  if (i5 === E) return i5;
  let h3 = void 0 !== e4 ? s4._$Co?.[e4] : s4._$Cl;
  const o5 = a2(i5) ? void 0 : i5._$litDirective$;
  return h3?.constructor !== o5 && (h3?._$AO?.(false), void 0 === o5 ? h3 = void 0 : (h3 = new o5(t3), h3._$AT(t3, s4, e4)), void 0 !== e4 ? (s4._$Co ??= [])[e4] = h3 : s4._$Cl = h3), void 0 !== h3 && (i5 = M(t3, h3._$AS(t3, i5.values), h3, e4)), i5;
}
var R = class {
  constructor(t3, i5) {
    this._$AV = [], this._$AN = void 0, this._$AD = t3, this._$AM = i5;
  }
  get parentNode() {
    return this._$AM.parentNode;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  u(t3) {
    const { el: { content: i5 }, parts: s4 } = this._$AD, e4 = (t3?.creationScope ?? l2).importNode(i5, true);
    P.currentNode = e4;
    let h3 = P.nextNode(), o5 = 0, n4 = 0, r4 = s4[0];
    for (; void 0 !== r4; ) {
      if (o5 === r4.index) {
        let i6;
        2 === r4.type ? i6 = new k(h3, h3.nextSibling, this, t3) : 1 === r4.type ? i6 = new r4.ctor(h3, r4.name, r4.strings, this, t3) : 6 === r4.type && (i6 = new Z(h3, this, t3)), this._$AV.push(i6), r4 = s4[++n4];
      }
      o5 !== r4?.index && (h3 = P.nextNode(), o5++);
    }
    return P.currentNode = l2, e4;
  }
  p(t3) {
    let i5 = 0;
    for (const s4 of this._$AV) void 0 !== s4 && (void 0 !== s4.strings ? (s4._$AI(t3, s4, i5), i5 += s4.strings.length - 2) : s4._$AI(t3[i5])), i5++;
  }
};
var k = class _k {
  get _$AU() {
    return this._$AM?._$AU ?? this._$Cv;
  }
  constructor(t3, i5, s4, e4) {
    this.type = 2, this._$AH = A, this._$AN = void 0, this._$AA = t3, this._$AB = i5, this._$AM = s4, this.options = e4, this._$Cv = e4?.isConnected ?? true;
  }
  get parentNode() {
    let t3 = this._$AA.parentNode;
    const i5 = this._$AM;
    return void 0 !== i5 && 11 === t3?.nodeType && (t3 = i5.parentNode), t3;
  }
  get startNode() {
    return this._$AA;
  }
  get endNode() {
    return this._$AB;
  }
  _$AI(t3, i5 = this) {
    t3 = M(this, t3, i5), a2(t3) ? t3 === A || null == t3 || "" === t3 ? (this._$AH !== A && this._$AR(), this._$AH = A) : t3 !== this._$AH && t3 !== E && this._(t3) : void 0 !== t3._$litType$ ? this.$(t3) : void 0 !== t3.nodeType ? this.T(t3) : d2(t3) ? this.k(t3) : this._(t3);
  }
  O(t3) {
    return this._$AA.parentNode.insertBefore(t3, this._$AB);
  }
  T(t3) {
    this._$AH !== t3 && (this._$AR(), this._$AH = this.O(t3));
  }
  _(t3) {
    this._$AH !== A && a2(this._$AH) ? this._$AA.nextSibling.data = t3 : this.T(l2.createTextNode(t3)), this._$AH = t3;
  }
  $(t3) {
    const { values: i5, _$litType$: s4 } = t3, e4 = "number" == typeof s4 ? this._$AC(t3) : (void 0 === s4.el && (s4.el = S2.createElement(V(s4.h, s4.h[0]), this.options)), s4);
    if (this._$AH?._$AD === e4) this._$AH.p(i5);
    else {
      const t4 = new R(e4, this), s5 = t4.u(this.options);
      t4.p(i5), this.T(s5), this._$AH = t4;
    }
  }
  _$AC(t3) {
    let i5 = C.get(t3.strings);
    return void 0 === i5 && C.set(t3.strings, i5 = new S2(t3)), i5;
  }
  k(t3) {
    u2(this._$AH) || (this._$AH = [], this._$AR());
    const i5 = this._$AH;
    let s4, e4 = 0;
    for (const h3 of t3) e4 === i5.length ? i5.push(s4 = new _k(this.O(c3()), this.O(c3()), this, this.options)) : s4 = i5[e4], s4._$AI(h3), e4++;
    e4 < i5.length && (this._$AR(s4 && s4._$AB.nextSibling, e4), i5.length = e4);
  }
  _$AR(t3 = this._$AA.nextSibling, s4) {
    for (this._$AP?.(false, true, s4); t3 !== this._$AB; ) {
      const s5 = i3(t3).nextSibling;
      i3(t3).remove(), t3 = s5;
    }
  }
  setConnected(t3) {
    void 0 === this._$AM && (this._$Cv = t3, this._$AP?.(t3));
  }
};
var H = class {
  get tagName() {
    return this.element.tagName;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  constructor(t3, i5, s4, e4, h3) {
    this.type = 1, this._$AH = A, this._$AN = void 0, this.element = t3, this.name = i5, this._$AM = e4, this.options = h3, s4.length > 2 || "" !== s4[0] || "" !== s4[1] ? (this._$AH = Array(s4.length - 1).fill(new String()), this.strings = s4) : this._$AH = A;
  }
  _$AI(t3, i5 = this, s4, e4) {
    const h3 = this.strings;
    let o5 = false;
    if (void 0 === h3) t3 = M(this, t3, i5, 0), o5 = !a2(t3) || t3 !== this._$AH && t3 !== E, o5 && (this._$AH = t3);
    else {
      const e5 = t3;
      let n4, r4;
      for (t3 = h3[0], n4 = 0; n4 < h3.length - 1; n4++) r4 = M(this, e5[s4 + n4], i5, n4), r4 === E && (r4 = this._$AH[n4]), o5 ||= !a2(r4) || r4 !== this._$AH[n4], r4 === A ? t3 = A : t3 !== A && (t3 += (r4 ?? "") + h3[n4 + 1]), this._$AH[n4] = r4;
    }
    o5 && !e4 && this.j(t3);
  }
  j(t3) {
    t3 === A ? this.element.removeAttribute(this.name) : this.element.setAttribute(this.name, t3 ?? "");
  }
};
var I = class extends H {
  constructor() {
    super(...arguments), this.type = 3;
  }
  j(t3) {
    this.element[this.name] = t3 === A ? void 0 : t3;
  }
};
var L = class extends H {
  constructor() {
    super(...arguments), this.type = 4;
  }
  j(t3) {
    this.element.toggleAttribute(this.name, !!t3 && t3 !== A);
  }
};
var z = class extends H {
  constructor(t3, i5, s4, e4, h3) {
    super(t3, i5, s4, e4, h3), this.type = 5;
  }
  _$AI(t3, i5 = this) {
    if ((t3 = M(this, t3, i5, 0) ?? A) === E) return;
    const s4 = this._$AH, e4 = t3 === A && s4 !== A || t3.capture !== s4.capture || t3.once !== s4.once || t3.passive !== s4.passive, h3 = t3 !== A && (s4 === A || e4);
    e4 && this.element.removeEventListener(this.name, this, s4), h3 && this.element.addEventListener(this.name, this, t3), this._$AH = t3;
  }
  handleEvent(t3) {
    "function" == typeof this._$AH ? this._$AH.call(this.options?.host ?? this.element, t3) : this._$AH.handleEvent(t3);
  }
};
var Z = class {
  constructor(t3, i5, s4) {
    this.element = t3, this.type = 6, this._$AN = void 0, this._$AM = i5, this.options = s4;
  }
  get _$AU() {
    return this._$AM._$AU;
  }
  _$AI(t3) {
    M(this, t3);
  }
};
var B = t2.litHtmlPolyfillSupport;
B?.(S2, k), (t2.litHtmlVersions ??= []).push("3.3.3");
var D = (t3, i5, s4) => {
  const e4 = s4?.renderBefore ?? i5;
  let h3 = e4._$litPart$;
  if (void 0 === h3) {
    const t4 = s4?.renderBefore ?? null;
    e4._$litPart$ = h3 = new k(i5.insertBefore(c3(), t4), t4, void 0, s4 ?? {});
  }
  return h3._$AI(t3), h3;
};

// ../../node_modules/lit-element/lit-element.js
var s3 = globalThis;
var i4 = class extends y {
  constructor() {
    super(...arguments), this.renderOptions = { host: this }, this._$Do = void 0;
  }
  createRenderRoot() {
    const t3 = super.createRenderRoot();
    return this.renderOptions.renderBefore ??= t3.firstChild, t3;
  }
  update(t3) {
    const r4 = this.render();
    this.hasUpdated || (this.renderOptions.isConnected = this.isConnected), super.update(t3), this._$Do = D(r4, this.renderRoot, this.renderOptions);
  }
  connectedCallback() {
    super.connectedCallback(), this._$Do?.setConnected(true);
  }
  disconnectedCallback() {
    super.disconnectedCallback(), this._$Do?.setConnected(false);
  }
  render() {
    return E;
  }
};
i4._$litElement$ = true, i4["finalized"] = true, s3.litElementHydrateSupport?.({ LitElement: i4 });
var o4 = s3.litElementPolyfillSupport;
o4?.({ LitElement: i4 });
(s3.litElementVersions ??= []).push("4.2.2");

// ../../plugin-sdk/src/views/element.ts
var MosaicViewElement = class extends i4 {
  static {
    this.properties = { context: { attribute: false } };
  }
};
function defineView(name, element) {
  if (!customElements.get(name)) customElements.define(name, element);
}

// src/live.ts
var BURST_MS = 50;
var LiveReload = class {
  #host;
  #objects;
  #concerns;
  #reload;
  #watching;
  #timer;
  constructor(host, objects, concerns, reload) {
    this.#host = host;
    this.#objects = objects;
    this.#concerns = concerns;
    this.#reload = reload;
    host.addController(this);
  }
  hostConnected() {
    this.#start();
  }
  /** The context arrives after the element is connected: start then. */
  hostUpdate() {
    this.#start();
  }
  hostDisconnected() {
    void this.#watching?.then((stops) => stops.forEach((stop) => stop()));
    this.#watching = void 0;
    this.#host.removeAttribute("data-live");
    clearTimeout(this.#timer);
  }
  #start() {
    const api = this.#host.context?.api;
    if (!api || !this.#host.isConnected || this.#watching) return;
    const onChange = (change) => {
      if (!this.#concerns(change)) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(this.#reload, BURST_MS);
    };
    this.#watching = Promise.all(this.#objects.map((object) => api.watch(object, onChange))).then(
      (stops) => {
        this.#host.toggleAttribute("data-live", true);
        return stops;
      },
      () => []
    );
  }
};

// src/due-today-widget.ts
var ActivitiesDueTodayWidget = class extends MosaicViewElement {
  static properties = { ...MosaicViewElement.properties, due: { state: true }, failure: { state: true } };
  #requested = false;
  #live = new LiveReload(this, ["task"], () => true, () => void this.#load());
  willUpdate(changed) {
    if (changed.has("context") && this.context && !this.#requested) {
      this.#requested = true;
      void this.#load();
    }
  }
  async #load() {
    const res = await this.context.api.route("GET", "/tasks/due-today");
    if (res.status === 200) this.due = res.body;
    else this.failure = `The tasks due today could not be loaded (${res.status}).`;
  }
  render() {
    if (this.failure) return b2`<p role="alert">${this.failure}</p>`;
    const due = this.due;
    if (!due) return b2`<p>Loading…</p>`;
    if (due.data.length === 0) return b2`<p>Nothing due today.</p>`;
    return b2`
      <ul>
        ${due.data.map((t3) => b2`<li>
          <input type="checkbox" aria-label="Done: ${t3.title}" @change=${() => void this.#complete(t3.id)} />
          <a href="/objects/${t3.target_object}/${t3.target_id}" @click=${(e4) => this.#open(e4, `/objects/${t3.target_object}/${t3.target_id}`)}>${t3.title}</a>
          ${t3.status === "in_progress" ? b2` · in progress` : ""}
        </li>`)}
      </ul>
      ${due.has_more ? b2`<p>More tasks are due today than shown.</p>` : ""}
    `;
  }
  async #complete(id) {
    const res = await this.context.api.route("PATCH", `/tasks/${id}`, { status: "done" });
    if (res.status !== 200) await this.context.toast(res.body?.error?.message ?? `Could not complete the task (${res.status}).`, "error");
    await this.#load();
  }
  #open(event, path) {
    event.preventDefault();
    void this.context?.navigate(path);
  }
};

// src/markdown.ts
function renderMarkdown(source) {
  const blocks = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  for (let i5 = 0; i5 < lines.length; ) {
    const line = lines[i5];
    if (line.trim() === "") {
      i5++;
      continue;
    }
    if (line.startsWith("```")) {
      const code = [];
      for (i5++; i5 < lines.length && !lines[i5].startsWith("```"); i5++) code.push(lines[i5]);
      i5++;
      blocks.push(b2`<pre><code>${code.join("\n")}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2]);
      blocks.push(heading[1].length === 1 ? b2`<h4>${text}</h4>` : heading[1].length === 2 ? b2`<h5>${text}</h5>` : b2`<h6>${text}</h6>`);
      i5++;
      continue;
    }
    const list = listKind(line);
    if (list) {
      const items = [];
      for (; i5 < lines.length && listKind(lines[i5]) === list; i5++) items.push(b2`<li>${inline(lines[i5].replace(LIST_MARKER[list], ""))}</li>`);
      blocks.push(list === "ul" ? b2`<ul>${items}</ul>` : b2`<ol>${items}</ol>`);
      continue;
    }
    if (line.startsWith(">")) {
      const quoted = [];
      for (; i5 < lines.length && lines[i5].startsWith(">"); i5++) quoted.push(lines[i5].replace(/^>\s?/, ""));
      blocks.push(b2`<blockquote>${renderMarkdown(quoted.join("\n"))}</blockquote>`);
      continue;
    }
    const paragraph = [];
    for (; i5 < lines.length && lines[i5].trim() !== "" && !isBlockStart(lines[i5]); i5++) paragraph.push(lines[i5]);
    blocks.push(b2`<p>${paragraph.map((l3, n4) => b2`${n4 > 0 ? b2`<br />` : A}${inline(l3)}`)}</p>`);
  }
  return b2`${blocks}`;
}
var LIST_MARKER = { ul: /^\s*[-*+]\s+/, ol: /^\s*\d+[.)]\s+/ };
function listKind(line) {
  if (LIST_MARKER.ul.test(line)) return "ul";
  if (LIST_MARKER.ol.test(line)) return "ol";
  return void 0;
}
function isBlockStart(line) {
  return line.startsWith("```") || /^#{1,3}\s/.test(line) || listKind(line) !== void 0 || line.startsWith(">");
}
var INLINE = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_/;
function inline(text) {
  const out = [];
  let rest = text;
  for (let match = INLINE.exec(rest); match; match = INLINE.exec(rest)) {
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const [whole, code, label, href, bold, italic, italic2] = match;
    if (code !== void 0) out.push(b2`<code>${code}</code>`);
    else if (label !== void 0) out.push(/^(https?:|mailto:)/i.test(href) ? b2`<a href=${href} target="_blank" rel="noopener noreferrer">${inline(label)}</a>` : whole);
    else if (bold !== void 0) out.push(b2`<strong>${inline(bold)}</strong>`);
    else out.push(b2`<em>${inline(italic ?? italic2)}</em>`);
    rest = rest.slice(match.index + whole.length);
  }
  if (rest) out.push(rest);
  return out;
}

// src/record-tab.ts
var STATUS_LABELS = { todo: "To do", in_progress: "In progress", done: "Done" };
var ActivitiesRecordTab = class extends MosaicViewElement {
  static properties = { ...MosaicViewElement.properties, activities: { state: true }, failure: { state: true }, members: { state: true } };
  // A stylesheet, not style attributes: the shell's Content-Security-Policy refuses inline styles.
  static styles = i`
    ul.items { list-style: none; padding: 0; margin: 0 0 8px; }
    ul.items > li { display: flex; gap: 8px; align-items: flex-start; padding: 6px 0; border-bottom: 1px solid var(--mosaic-border, #e5e7eb); }
    .grow { flex: 1; min-width: 0; }
    .done strong { text-decoration: line-through; color: var(--mosaic-muted, #6b7280); }
    .overdue { color: var(--mosaic-danger, #b91c1c); }
    .meta { color: var(--mosaic-muted, #6b7280); font-size: 0.85em; }
    .note p, .note ul, .note ol, .note pre, .note blockquote { margin: 4px 0; }
    .note pre { white-space: pre-wrap; }
    .note blockquote { border-left: 3px solid var(--mosaic-border, #e5e7eb); padding-left: 8px; }
    button.remove { background: none; border: none; cursor: pointer; color: var(--mosaic-muted, #6b7280); }
  `;
  #key;
  // A note or task changed somewhere: reload if it is (or was) about this record.
  #live = new LiveReload(this, ["note", "task"], (change) => this.#key !== void 0 && (!change.record || change.record.target_id === this.#key.split("/")[1]), () => void this.#load());
  willUpdate(changed) {
    const object = this.context?.object?.name;
    const id = this.context?.record?.id;
    if (changed.has("context") && object && typeof id === "string" && `${object}/${id}` !== this.#key) {
      this.#key = `${object}/${id}`;
      this.activities = void 0;
      void this.#load();
    }
    if (changed.has("context") && this.context && this.members === void 0) {
      this.members = [];
      void this.context.api.members().then(
        (members) => this.members = members,
        () => void 0
      );
    }
  }
  async #load() {
    const key = this.#key;
    this.failure = void 0;
    const res = await this.context.api.route("GET", `/for/${key.split("/").map(encodeURIComponent).join("/")}`);
    if (key !== this.#key) return;
    if (res.status === 200) this.activities = res.body;
    else this.failure = `The activities could not be loaded (${res.status}).`;
  }
  async #add(event, kind) {
    event.preventDefault();
    const form = event.target;
    const [target_object, target_id] = this.#key.split("/");
    const fields = {};
    new FormData(form).forEach((value, name) => {
      if (typeof value === "string" && value !== "") fields[name] = value;
    });
    const res = await this.context.api.route("POST", `/${kind}`, { ...fields, target_object, target_id });
    if (res.status === 201) {
      form.reset();
      await this.#load();
    } else {
      await this.context.toast(res.body?.error?.message ?? `Could not save (${res.status}).`, "error");
    }
  }
  /** Completes a task, or opens it again; the list shows the change at once and rolls back on refusal. */
  async #toggle(task, done) {
    const res = await this.context.api.route("PATCH", `/tasks/${task.id}`, { status: done ? "done" : "todo" });
    if (res.status !== 200) await this.context.toast(res.body?.error?.message ?? `Could not change the task (${res.status}).`, "error");
    await this.#load();
  }
  /** Gives a task to another member, or to nobody. */
  async #assign(task, assignee) {
    const res = await this.context.api.route("PATCH", `/tasks/${task.id}`, { assignee_id: assignee || null });
    if (res.status !== 200) await this.context.toast(res.body?.error?.message ?? `Could not change the assignee (${res.status}).`, "error");
    await this.#load();
  }
  async #remove(kind, id, what) {
    const res = await this.context.api.route("DELETE", `/${kind}/${id}`);
    if (res.status === 204) await this.context.toast(`${what} deleted.`);
    else await this.context.toast(res.body?.error?.message ?? `Could not delete (${res.status}).`, "error");
    await this.#load();
  }
  render() {
    if (this.failure) return b2`<p role="alert">${this.failure}</p>`;
    const activities = this.activities;
    if (!activities) return b2`<p>Loading…</p>`;
    return b2`
      <section>
        <h3>Tasks</h3>
        ${activities.tasks.length === 0 ? b2`<p>No tasks yet.</p>` : b2`<ul class="items">${ordered(activities.tasks).map((t3) => this.#task(t3))}</ul>`}
        <form @submit=${(e4) => void this.#add(e4, "tasks")}>
          <input name="title" placeholder="New task" required />
          <input name="due_date" type="date" aria-label="Due date" />
          ${this.members?.length ? b2`<select name="assignee_id" aria-label="Assignee">${this.#memberOptions(null)}</select>` : ""}
          <button>Add task</button>
        </form>
      </section>
      <section>
        <h3>Notes</h3>
        ${activities.notes.length === 0 ? b2`<p>No notes yet.</p>` : b2`<ul class="items">${activities.notes.map((n4) => b2`<li>
          <div class="grow note">
            <strong>${n4.title}</strong> <span class="meta">${new Date(n4.created_at).toLocaleString()}</span>
            ${renderMarkdown(n4.body ?? "")}
          </div>
          <button class="remove" aria-label="Delete note ${n4.title ?? ""}" title="Delete note" @click=${() => void this.#remove("notes", n4.id, "Note")}>✕</button>
        </li>`)}</ul>`}
        <form @submit=${(e4) => void this.#add(e4, "notes")}>
          <textarea name="body" placeholder="Write a note (Markdown)" required></textarea>
          <button>Add note</button>
        </form>
      </section>
    `;
  }
  #task(t3) {
    const done = t3.status === "done";
    const overdue = !done && t3.due_date !== null && t3.due_date < today();
    return b2`<li class=${done ? "done" : ""}>
      <input type="checkbox" .checked=${done} aria-label="Done: ${t3.title}" @change=${(e4) => void this.#toggle(t3, e4.target.checked)} />
      <div class="grow">
        <strong>${t3.title}</strong>
        <div class="meta">${STATUS_LABELS[t3.status] ?? t3.status}${t3.due_date ? b2` · <span class=${overdue ? "overdue" : ""}>${overdue ? "overdue, was due" : "due"} ${t3.due_date}</span>` : ""}${t3.assignee_id ? b2` · <span class="assignee">${this.#memberName(t3.assignee_id)}</span>` : ""}</div>
        ${t3.body ? b2`<div class="note">${renderMarkdown(t3.body)}</div>` : ""}
      </div>
      ${this.members?.length ? b2`<select aria-label="Assignee of ${t3.title}" @change=${(e4) => void this.#assign(t3, e4.target.value)}>${this.#memberOptions(t3.assignee_id)}</select>` : ""}
      <button class="remove" aria-label="Delete task ${t3.title}" title="Delete task" @click=${() => void this.#remove("tasks", t3.id, "Task")}>✕</button>
    </li>`;
  }
  /** A member's name; one no longer in the workspace is a former member, as elsewhere in the shell. */
  #memberName(id) {
    return this.members?.find((m2) => m2.id === id)?.name ?? "Former member";
  }
  #memberOptions(selected) {
    return b2`<option value="" ?selected=${!selected}>Unassigned</option>${this.members.map((m2) => b2`<option value=${m2.id} ?selected=${m2.id === selected}>${m2.name}</option>`)}`;
  }
};
var today = () => (/* @__PURE__ */ new Date()).toISOString().slice(0, 10);
function ordered(tasks) {
  const open = tasks.filter((t3) => t3.status !== "done").sort((a3, b3) => (a3.due_date ?? "9999").localeCompare(b3.due_date ?? "9999"));
  return [...open, ...tasks.filter((t3) => t3.status === "done")];
}

// src/views.ts
defineView("activities-record-tab", ActivitiesRecordTab);
defineView("activities-due-today-widget", ActivitiesDueTodayWidget);
export {
  ActivitiesDueTodayWidget,
  ActivitiesRecordTab
};
