//! wasm-bindgen joins a wasm to its JS glue by names made of what they bind plus a hash
//! (`__wbg_addEventListener_847fd86b8c33ec43`; a closure's invoke shim has 150 characters), and
//! every import names its module (`./reachcheck_bg.js`). The hashes barely compress, and each
//! name is in both files: ~8 KB of gzip for the app. The release build gives the imports, the
//! exports the glue uses and the module short names, the same in both files (docs/embedding.md,
//! "Size").

use std::collections::HashSet;
use std::path::Path;

/// The glue's own module, as the wasm imports it and the glue's import object is keyed.
const GLUE_MODULE: &str = "m";

/// Rewrites `wasm` and `js` (wasm-bindgen's output, after terser) in place.
pub fn shorten_files(wasm: &Path, js: &Path) -> Result<(), String> {
    let read_error = |path: &Path, err: std::io::Error| format!("{}: {err}", path.display());
    let wasm_bytes = std::fs::read(wasm).map_err(|err| read_error(wasm, err))?;
    let script = std::fs::read_to_string(js).map_err(|err| read_error(js, err))?;
    let (wasm_bytes, script) = shorten(&wasm_bytes, &script)
        .map_err(|why| format!("{} with {}: {why}", wasm.display(), js.display()))?;
    std::fs::write(wasm, wasm_bytes).map_err(|err| read_error(wasm, err))?;
    std::fs::write(js, script).map_err(|err| read_error(js, err))
}

/// The module and its glue with short names. Every import of the glue's module must be a key
/// of the glue's import object; an export the glue never reads (e.g. `main`) keeps its name.
pub fn shorten(wasm: &[u8], js: &str) -> Result<(Vec<u8>, String), String> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".to_owned());
    }
    let mut out = wasm[..8].to_vec();
    let mut js = js.to_owned();
    let mut reader = Reader { bytes: wasm, at: 8 };
    while !reader.done() {
        let id = reader.byte()?;
        let size = reader.leb()? as usize;
        let body = reader.take(size)?;
        let body = match id {
            2 => shorten_imports(body, &mut js)?,
            7 => shorten_exports(body, &mut js)?,
            _ => body.to_vec(),
        };
        out.push(id);
        write_leb(&mut out, body.len() as u64);
        out.extend_from_slice(&body);
    }
    Ok((out, js))
}

fn shorten_imports(section: &[u8], js: &mut String) -> Result<Vec<u8>, String> {
    let mut reader = Reader { bytes: section, at: 0 };
    let count = reader.leb()?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    let mut names = ShortNames::new(HashSet::new());
    let mut glue_module = None;
    for _ in 0..count {
        let module = reader.name()?;
        let field = reader.name()?;
        let description = reader.import_description()?;
        let (module, field) = if module.ends_with("_bg.js") {
            glue_module.get_or_insert(module);
            let short = names.next();
            rename_key(js, field, &short)?;
            (GLUE_MODULE, short)
        } else {
            (module, field.to_owned())
        };
        write_name(&mut out, module);
        write_name(&mut out, &field);
        out.extend_from_slice(description);
    }
    let module = glue_module.ok_or("no import of wasm-bindgen's glue module (names already shortened?)")?;
    rename_key(js, &format!("\"{module}\""), GLUE_MODULE)?;
    Ok(out)
}

fn shorten_exports(section: &[u8], js: &mut String) -> Result<Vec<u8>, String> {
    let mut reader = Reader { bytes: section, at: 0 };
    let count = reader.leb()?;
    let mut exports = Vec::new();
    for _ in 0..count {
        let name = reader.name()?;
        let start = reader.at;
        reader.byte()?;
        reader.leb()?;
        exports.push((name, &section[start..reader.at]));
    }
    // Names the glue never reads stay, so no short name may equal one of them.
    let kept: HashSet<String> =
        exports.iter().filter(|(name, _)| !is_read(js, name)).map(|(name, _)| name.to_string()).collect();
    let mut names = ShortNames::new(kept);
    let mut out = Vec::new();
    write_leb(&mut out, count);
    for (name, description) in exports {
        let name = if is_read(js, name) {
            let short = names.next();
            *js = rename_reads(js, name, &short);
            short
        } else {
            name.to_owned()
        };
        write_name(&mut out, &name);
        out.extend_from_slice(description);
    }
    Ok(out)
}

/// `a`, `b`, … `Z`, `aa`, `ab`, …, skipping `reserved`.
struct ShortNames {
    next: usize,
    reserved: HashSet<String>,
}

impl ShortNames {
    const LETTERS: &'static [u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    fn new(reserved: HashSet<String>) -> ShortNames {
        ShortNames { next: 0, reserved }
    }

    fn next(&mut self) -> String {
        loop {
            let name = Self::nth(self.next);
            self.next += 1;
            if !self.reserved.contains(&name) {
                return name;
            }
        }
    }

    fn nth(mut n: usize) -> String {
        let base = Self::LETTERS.len();
        let mut name = Vec::new();
        loop {
            name.push(Self::LETTERS[n % base]);
            if n < base {
                break;
            }
            n = n / base - 1;
        }
        name.reverse();
        String::from_utf8(name).expect("ASCII letters")
    }
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

/// Where `name` is a whole word in `js` after `before`.
fn positions<'a>(js: &'a str, name: &'a str, before: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let bytes = js.as_bytes();
    js.match_indices(name).map(|(at, _)| at).filter(move |&at| {
        let after = bytes.get(at + name.len()).copied();
        at > 0 && before.contains(&bytes[at - 1]) && !after.is_some_and(is_identifier_byte)
    })
}

/// Renames the one key `key` of an object literal (`{key:` or `,key:`).
fn rename_key(js: &mut String, key: &str, short: &str) -> Result<(), String> {
    let keys: Vec<usize> =
        positions(js, key, b",{").filter(|&at| js.as_bytes().get(at + key.len()) == Some(&b':')).collect();
    match keys.as_slice() {
        [at] => {
            js.replace_range(*at..at + key.len(), short);
            Ok(())
        }
        [] => Err(format!("the glue has no key {key}")),
        _ => Err(format!("the glue has {} keys {key}", keys.len())),
    }
}

/// Whether the glue reads the export `name` (`wasm.name`).
fn is_read(js: &str, name: &str) -> bool {
    positions(js, name, b".").next().is_some()
}

/// `js` with every read of the export `name` renamed (`wasm.name` → `wasm.short`): the glue's
/// own exports of the same name (`export { mount_all }`) are its API and stay.
fn rename_reads(js: &str, name: &str, short: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut copied = 0;
    for at in positions(js, name, b".").collect::<Vec<_>>() {
        out.push_str(&js[copied..at]);
        out.push_str(short);
        copied = at + name.len();
    }
    out.push_str(&js[copied..]);
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.at).ok_or("the module ends early")?;
        self.at += 1;
        Ok(byte)
    }

    fn leb(&mut self) -> Result<u64, String> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let byte = self.byte()?;
            if shift >= 64 {
                return Err("an over-long LEB128 number".to_owned());
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end =
            self.at.checked_add(len).filter(|&end| end <= self.bytes.len()).ok_or("the module ends early")?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let len = self.leb()? as usize;
        std::str::from_utf8(self.take(len)?).map_err(|_| "a name that is not UTF-8".to_owned())
    }

    /// An import's kind and type, as bytes to copy.
    fn import_description(&mut self) -> Result<&'a [u8], String> {
        let start = self.at;
        match self.byte()? {
            0 => {
                self.leb()?; // a function's type
            }
            1 => {
                self.ref_type()?;
                self.limits()?;
            }
            2 => self.limits()?,
            3 => {
                self.value_type()?;
                self.byte()?; // mutability
            }
            4 => {
                self.byte()?; // a tag's attribute
                self.leb()?;
            }
            kind => return Err(format!("an import of unknown kind {kind}")),
        }
        Ok(&self.bytes[start..self.at])
    }

    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }

    /// A value type: one byte, or a reference type with a heap type after it.
    fn value_type(&mut self) -> Result<(), String> {
        self.ref_type()
    }

    fn ref_type(&mut self) -> Result<(), String> {
        if matches!(self.byte()?, 0x63 | 0x64) {
            self.leb()?; // the heap type (signed, but a LEB128 all the same)
        }
        Ok(())
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and one from elsewhere, and a memory;
    /// exporting memory, a function the glue reads and one it does not.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, 4);
        for (module, field, description) in [
            ("./app_bg.js", "__wbg_abort_f8d1589eb0c65ee2", &[0u8, 0][..]),
            ("./app_bg.js", "__wbg_fetch_0123456789abcdef", &[0, 1]),
            ("env", "other", &[0, 0]),
            ("./app_bg.js", "__wbindgen_memory", &[2, 1, 17, 0x80, 0x80, 0x04]),
        ] {
            write_name(&mut imports, module);
            write_name(&mut imports, field);
            imports.extend_from_slice(description);
        }
        let mut exports = Vec::new();
        write_leb(&mut exports, 3);
        for (name, description) in [("memory", [2u8, 0]), ("__wbindgen_malloc", [0, 3]), ("main", [0, 4])] {
            write_name(&mut exports, name);
            exports.extend_from_slice(&description);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        for (id, body) in [(1u8, vec![1, 0x60, 0, 0]), (2, imports), (7, exports)] {
            wasm.push(id);
            write_leb(&mut wasm, body.len() as u64);
            wasm.extend_from_slice(&body);
        }
        wasm
    }

    const GLUE: &str = "function g(){const e={__proto__:null,__wbg_abort_f8d1589eb0c65ee2:function(e){e.abort()},\
        __wbg_fetch_0123456789abcdef:function(e){return fetch(e)},__wbindgen_memory:function(){return new WebAssembly.Memory}};\
        return{__proto__:null,\"./app_bg.js\":e}}function main(){U.__wbindgen_malloc(1);U.memory.buffer}export{main};";

    fn names(wasm: &[u8], section: u8) -> Vec<String> {
        let mut reader = Reader { bytes: wasm, at: 8 };
        while !reader.done() {
            let id = reader.byte().unwrap();
            let size = reader.leb().unwrap() as usize;
            let body = reader.take(size).unwrap();
            if id != section {
                continue;
            }
            let mut body = Reader { bytes: body, at: 0 };
            let count = body.leb().unwrap();
            return (0..count)
                .map(|_| {
                    let mut name = String::new();
                    if section == 2 {
                        name = format!("{}.", body.name().unwrap());
                    }
                    name.push_str(body.name().unwrap());
                    if section == 2 {
                        body.import_description().unwrap();
                    } else {
                        body.byte().unwrap();
                        body.leb().unwrap();
                    }
                    name
                })
                .collect();
        }
        Vec::new()
    }

    #[test]
    fn both_files_get_the_same_short_names() {
        let (wasm, js) = shorten(&module(), GLUE).unwrap();
        assert_eq!(names(&wasm, 2), ["m.a", "m.b", "env.other", "m.c"]);
        // `main` is not read by the glue: it keeps its name, and no short name takes it.
        assert_eq!(names(&wasm, 7), ["a", "b", "main"]);
        assert_eq!(
            js,
            "function g(){const e={__proto__:null,a:function(e){e.abort()},b:function(e){return fetch(e)},\
             c:function(){return new WebAssembly.Memory}};return{__proto__:null,m:e}}\
             function main(){U.b(1);U.a.buffer}export{main};"
        );
        // Every other section is copied as it was.
        assert_eq!(&wasm[..12], &module()[..12]);
    }

    #[test]
    fn an_import_the_glue_does_not_provide_fails_the_build() {
        let glue = GLUE.replace("__wbg_fetch_0123456789abcdef", "__wbg_fetch_ffffffffffffffff");
        let err = shorten(&module(), &glue).unwrap_err();
        assert!(err.contains("no key __wbg_fetch_0123456789abcdef"), "{err}");
        assert!(shorten(&module()[..20], GLUE).unwrap_err().contains("ends early"));
        assert_eq!(shorten(b"<html>", GLUE).unwrap_err(), "not a wasm module");
    }

    #[test]
    fn names_already_short_are_refused() {
        let (wasm, js) = shorten(&module(), GLUE).unwrap();
        assert!(shorten(&wasm, &js).unwrap_err().contains("already shortened"));
    }

    #[test]
    fn short_names_run_through_one_and_then_two_letters() {
        let names: Vec<String> = (0..54).map(ShortNames::nth).collect();
        assert_eq!((names[0].as_str(), names[51].as_str()), ("a", "Z"));
        assert_eq!((names[52].as_str(), names[53].as_str()), ("aa", "ab"));
        assert_eq!(ShortNames::nth(52 + 52 * 52), "aaa");
        let mut reserved = ShortNames::new(HashSet::from(["a".to_owned()]));
        assert_eq!(reserved.next(), "b");
    }
}
