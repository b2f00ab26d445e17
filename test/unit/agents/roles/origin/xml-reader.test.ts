import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childText, decodeEntities, hasChild, readXml } from '../../../../../agents/roles/origin/xml-reader';

describe('xml reader', () => {
  it('reads nested elements, flags and text', () => {
    const { root, complete, problems } = readXml('<?xml version="1.0"?><a><b>one</b><flag/><b>two</b></a>');
    assert.equal(complete, true);
    assert.deepEqual(problems, []);
    assert.equal(root?.name, 'a');
    assert.deepEqual(root?.children.map((c) => c.text), ['one', '', 'two']);
    assert.equal(hasChild(root!, 'flag'), true);
    assert.equal(hasChild(root!, 'nope'), false);
  });

  it('decodes entities, keeps CDATA literal and skips comments, doctypes and processing instructions', () => {
    const { root } = readXml('<!DOCTYPE x><?xml-stylesheet href="s.xsl"?><a><!-- c --><n>a&amp;b &lt;c&gt; &#65;&#x42;</n><d><![CDATA[x &amp; <y>]]></d></a>');
    assert.equal(childText(root!, 'n'), 'a&b <c> AB');
    assert.equal(childText(root!, 'd'), 'x &amp; <y>');
  });

  it('reads attributes in either quote style', () => {
    const { root } = readXml(`<a x="1" y='two' z = "&quot;q&quot;"/>`);
    assert.deepEqual(root?.attributes, { x: '1', y: 'two', z: '"q"' });
  });

  it('leaves unknown entities as they are', () => {
    assert.equal(decodeEntities('&nbsp;&#0;&#xZZ;'), '&nbsp;&#0;&#xZZ;');
  });

  const damaged: [string, string, boolean][] = [
    ['cut inside a tag', '<a><b>1</b><c', false],
    ['cut with elements open', '<a><b>1</b><c>2', false],
    ['a stray closing tag', '<a></x><b>1</b></a>', true],
    ['a tag closed out of order', '<a><b><c>1</b></a>', true],
    ['two roots', '<a/><b/>', true],
    ['no root at all', 'just text', true],
    ['an empty document', '', true],
  ];
  for (const [what, xml, complete] of damaged) {
    it(`never throws on ${what}, and says what was wrong`, () => {
      const result = readXml(xml);
      assert.equal(result.complete, complete);
      assert.ok(result.problems.length > 0, 'a problem is reported');
    });
  }

  it('bounds nesting depth', () => {
    const deep = `${'<a>'.repeat(200)}x${'</a>'.repeat(200)}`;
    const result = readXml(deep);
    assert.ok(result.problems.some((p) => p.includes('deeper than')));
  });
});
