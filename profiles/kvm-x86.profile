# kvm-x86: second-level page faults of KVM on x86 (AMD NPT, Intel EPT,
# legacy TDP MMU and shadow paging), kernels 6.1 to 6.12.
#
#   root   FUNC...          a fault is one call of a root function
#   phase  LABEL FUNC...    a phase and the names its function has on
#                           different kernels; unnamed functions still
#                           appear in trees
#   event  SYSTEM/EVENT     tracepoints to enable (or SYSTEM for all)
#   allow  FILTER           set_ftrace_filter lines for the instance
#                           strategy (created instances have no
#                           set_graph_function)
#   memslot_probe FUNC slot=$argN gfn=$argM | FUNC fault=$argN
#                           where the kprobe event kvmmmu_graph/memslot
#                           reads each fault's memslot (id, base_gfn,
#                           userspace_addr -> MEM_SLOTID and HVA): FUNC's
#                           argument N is a struct kvm_memory_slot * (and
#                           M the gfn), or a struct kvm_page_fault *.
#                           Offsets come from the kernel's BTF. The first
#                           FUNC this kernel can trace wins.
name kvm-x86

# kvm_mmu_page_fault, not kvm_tdp_page_fault: MMIO faults answered from
# KVM's MMIO cache never reach kvm_tdp_page_fault.
root kvm_mmu_page_fault

phase fast_path     fast_page_fault kvm_tdp_mmu_fast_pf_get_last_sptep
phase memslot       kvm_vcpu_gfn_to_memslot
phase topup         mmu_topup_memory_caches
phase faultin       kvm_faultin_pfn kvm_mmu_faultin_pfn
phase gup           __gfn_to_pfn_memslot __kvm_faultin_pfn kvm_follow_pfn hva_to_pfn
phase stale_check   is_page_fault_stale
phase map           kvm_tdp_mmu_map direct_map __direct_map paging64_fetch paging32_fetch
phase guest_walk    paging64_walk_addr_generic paging32_walk_addr_generic
phase mmio_emulate  x86_emulate_instruction handle_mmio_page_fault
phase page_track    kvm_gfn_is_write_tracked page_fault_handle_page_track kvm_slot_page_track_is_active

event kvm/kvm_page_fault
event kvm/kvm_entry
event kvm/kvm_exit
event kvmmmu/kvm_mmu_spte_requested
event kvmmmu/fast_page_fault
event kvmmmu/handle_mmio_page_fault
event kvmmmu/kvm_mmu_set_spte

# Fault-in of a backed gfn: normal faults. Fast-path faults never fault
# in a pfn and MMIO faults have no memslot: no memslot/HVA. Linux 6.1 .. 6.12:
# kvm_faultin_pfn -> __gfn_to_pfn_memslot(slot, gfn, ...), exported.
# 6.13 renamed x86's __kvm_faultin_pfn(vcpu, fault) to
# __kvm_mmu_faultin_pfn and gave the name to kvm_main.c's
# __kvm_faultin_pfn(slot, gfn, ...), which replaced __gfn_to_pfn_memslot.
memslot_probe __gfn_to_pfn_memslot  slot=$arg1 gfn=$arg2
memslot_probe __kvm_faultin_pfn     slot=$arg1 gfn=$arg2
memslot_probe __kvm_mmu_faultin_pfn fault=$arg2
memslot_probe kvm_mmu_faultin_pfn   fault=$arg2

allow :mod:kvm
allow :mod:kvm_amd
allow :mod:kvm_intel
allow hva_to_pfn* get_user_pages_fast_only get_user_pages_unlocked internal_get_user_pages_fast
allow lockless_pages_from_mm __get_user_pages handle_mm_fault
