/* Exports sizeof(struct bpf_list_node) as a table's max_entries, so a test
 * sees which uapi linux/bpf.h a compile used without loading anything:
 * 16 in libbcc 0.26's own copy, 24 in the kernel's since 6.7 (a third
 * hidden word, __opaque[3]). */
BPF_ARRAY(list_node_size, u32, sizeof(struct bpf_list_node));
