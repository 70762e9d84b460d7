//! Fuzz target: any bytes read as a WARC stream, record by record; the records'
//! offsets must grow and the reader must end.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last = None;
    for record in newsgraph_ingest::WarcRecords::new(data, "fuzz.warc").flatten() {
        assert!(last < Some(record.offset));
        assert!(record.offset < data.len() as u64);
        last = Some(record.offset);
    }
});
