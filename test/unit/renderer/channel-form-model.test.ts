import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkText, fieldText, formatConfig, FORM_FIELDS, newChannelText, parseText, withField } from '../../../renderer/src/components/channel-form-model';

const field = (path: string) => FORM_FIELDS.find((f) => f.path === path)!;
const base = () => {
  const parsed = parseText(newChannelText('news'));
  assert.ok(parsed.ok);
  return parsed.value;
};

describe('channel editor model', () => {
  it('starts a new channel from a template that is a valid config', () => {
    assert.deepEqual(checkText(newChannelText('news'), 'news'), { ok: true, byField: new Map(), other: [] });
  });

  it('puts a schema error next to the field it is about', () => {
    const text = formatConfig(withField(base(), field('video.bitrateKbps'), '10'));
    const checked = checkText(text, 'news');
    assert.equal(checked.ok, false);
    assert.deepEqual([...checked.byField.keys()], ['video.bitrateKbps']);
    assert.match(checked.byField.get('video.bitrateKbps')![0]!.message, /32/);
    assert.deepEqual(checked.other, []);
  });

  it('keeps what is not a number as text, so the schema names the field instead of the form dropping it', () => {
    const edited = withField(base(), field('video.width'), '320px');
    assert.equal(fieldText(edited, 'video.width'), '320px');
    assert.deepEqual([...checkText(formatConfig(edited), 'news').byField.keys()], ['video.width']);
    assert.equal((withField(base(), field('video.width'), '320').video as { width: number }).width, 320);
  });

  it('removes a field emptied by the operator, and the overlay with its last field', () => {
    const withOverlay = withField(base(), field('overlay.imageUrl'), 'http://media/logo.png');
    assert.deepEqual(withOverlay.overlay, { imageUrl: 'http://media/logo.png' });
    assert.equal('overlay' in withField(withOverlay, field('overlay.imageUrl'), ''), false);
    assert.equal('keyframeSec' in (withField(base(), field('video.keyframeSec'), ' ').video as object), false);
  });

  it('lists issues no form field shows under the text: outputs, unknown keys, a name that is not the file’s', () => {
    const noOutputs = formatConfig({ ...base(), outputs: [], color: 'red' });
    const checked = checkText(noOutputs, 'news');
    assert.deepEqual(checked.other.map((i) => i.path).sort(), ['(root)', 'outputs']);
    assert.deepEqual(checkText(newChannelText('news'), 'sport').other, [{ path: 'name', message: 'must be "sport", the name the file is stored under' }]);
  });

  it('says when the text is not JSON', () => {
    const checked = checkText('{"name": ', 'news');
    assert.equal(checked.other[0]?.path, '(root)');
    assert.match(checked.other[0]!.message, /not JSON/);
    assert.equal(parseText('[1]').ok, false);
  });
});
