/** Defines a custom element once (a bundle evaluated twice must not throw). */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
