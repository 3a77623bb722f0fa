/* Placeholder so the shim archives mediasoup expects are not empty targets. */
int noc_worker_shim_flatbuffers_24_3_25;
