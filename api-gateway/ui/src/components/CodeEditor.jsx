// CodeMirror 6 as a component: SQL in a dialect, completion from the schema, a marked error.
// The editor owns its text: `value` is the text it starts with, `onChange` reports each edit,
// and `editorRef.current.setText` replaces it from outside. The dialect and schema are set when
// it is created: give it a `key` that changes with them.
import { autocompletion, closeBrackets, closeBracketsKeymap, closeCompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { sql } from "@codemirror/lang-sql";
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder as placeholderExt,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef } from "preact/hooks";

// colours come from CSS variables, so light and dark follow the page's theme
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: "var(--code-keyword)", fontWeight: "600" },
  { tag: [tags.typeName, tags.standard(tags.name)], color: "var(--code-type)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--code-string)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--code-number)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: "var(--code-comment)", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.standard(tags.variableName)], color: "var(--code-function)" },
  { tag: [tags.operator, tags.punctuation], color: "var(--code-punct)" },
]);

const setError = StateEffect.define();
const errorMark = Decoration.mark({ class: "cm-error-mark" });
const errorLine = Decoration.line({ class: "cm-error-line" });

// the error's place: the token at line/column, or the whole line
const errorField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = tr.docChanged ? Decoration.none : marks; // an edit clears the mark
    for (const effect of tr.effects) {
      if (!effect.is(setError)) continue;
      const pos = effect.value;
      if (!pos || pos.line < 1 || pos.line > tr.state.doc.lines) return Decoration.none;
      const line = tr.state.doc.line(pos.line);
      const ranges = [errorLine.range(line.from)];
      if (pos.column) {
        const from = Math.min(line.to, line.from + pos.column - 1);
        const word = /^[\w$."]+|^./.exec(line.text.slice(from - line.from));
        const to = Math.min(line.to, from + (word ? word[0].length : 1));
        if (to > from) ranges.push(errorMark.range(from, to));
      }
      return Decoration.set(ranges, true);
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function CodeEditor({ value, onChange, dialect, schema, onRun, errorAt, placeholder, label, minHeight = "180px", editorRef }) {
  const host = useRef(null);
  const view = useRef(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    const run = (v) => {
      closeCompletion(v);
      callbacks.current.onRun?.();
      return true;
    };
    const state = EditorState.create({
      doc: value || "",
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        autocompletion(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(highlight),
        errorField,
        placeholderExt(placeholder || ""),
        dialect ? sql({ dialect, schema, upperCaseKeywords: false }) : [],
        keymap.of([
          { key: "Mod-Enter", run, preventDefault: true },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...completionKeymap,
          indentWithTab,
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) callbacks.current.onChange?.(update.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ "aria-label": label || "Code editor" }),
        EditorView.theme({ "&": { minHeight }, ".cm-scroller": { minHeight } }),
      ],
    });
    view.current = new EditorView({ state, parent: host.current });
    if (editorRef) {
      editorRef.current = {
        // replace the text (a saved query opened, a file uploaded), as one undoable change
        setText(text) {
          const v = view.current;
          if (text !== v.state.doc.toString()) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
        },
        focus: () => view.current.focus(),
      };
    }
    return () => view.current.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch({ effects: setError.of(errorAt || null) });
    if (errorAt && errorAt.line <= v.state.doc.lines) {
      v.dispatch({ effects: EditorView.scrollIntoView(v.state.doc.line(errorAt.line).from, { y: "center" }) });
    }
  }, [errorAt]);

  return <div class="code-editor" ref={host} />;
}
