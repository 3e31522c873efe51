# kvm-x86: second-level page faults of KVM on x86 (AMD NPT, Intel EPT,
# legacy TDP MMU and shadow paging), kernels 6.1 to 7.x.
# Tested (AMD NPT in the QEMU test host, tests/vm): Debian 6.1.192,
# 6.12.118, 6.18.15 and 7.3.4; guest_memfd memslots (shared, host-mapped)
# on 6.18.15 and 7.3.4. Names for private guest_memfd memory and
# Intel/nested EPT come from the kernel sources.
# Every function name also matches its compiler clones (.isra.N, .part.N,
# .constprop.N, .cold, .llvm.N): roots, phases and cause rules alike.
#
#   root   FUNC... [origin=guest|prefault|async-pf]
#                           a fault is one call of a root function; the
#                           origin says who asked for it (default guest)
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
# KVM mapping pages ahead of the guest through the same fault handler,
# with no exit and no kvm_page_fault event (and not in KVM's pf_taken):
# KVM_PRE_FAULT_MEMORY (6.10+), one call per page it maps, and an async
# page fault's completion once its page came in. A call of these that
# calls nothing (an async PF "wake all") is not counted as a fault.
root kvm_arch_vcpu_pre_fault_memory origin=prefault
root kvm_arch_async_page_ready origin=async-pf

phase fast_path     fast_page_fault kvm_tdp_mmu_fast_pf_get_last_sptep
phase memslot       kvm_vcpu_gfn_to_memslot
phase topup         mmu_topup_memory_caches
phase faultin       kvm_faultin_pfn kvm_mmu_faultin_pfn __kvm_mmu_faultin_pfn
phase gup           __gfn_to_pfn_memslot __kvm_faultin_pfn kvm_follow_pfn hva_to_pfn gup_fast_fallback
# guest_memfd (private and gmem-only memslots, 6.12+): the pfn comes from
# the guest_memfd file, not from the VMM's page tables
phase gmem          kvm_gmem_get_pfn kvm_mmu_faultin_pfn_private kvm_mmu_faultin_pfn_gmem
phase stale_check   is_page_fault_stale
# ept_fetch / ept_walk_addr_generic: shadow EPT of a nested (L2) guest
phase map           kvm_tdp_mmu_map direct_map __direct_map paging64_fetch paging32_fetch ept_fetch
phase guest_walk    paging64_walk_addr_generic paging32_walk_addr_generic ept_walk_addr_generic
phase mmio_emulate  x86_emulate_instruction handle_mmio_page_fault
phase page_track    kvm_gfn_is_write_tracked page_fault_handle_page_track kvm_slot_page_track_is_active

event kvm/kvm_page_fault
event kvm/kvm_entry
event kvm/kvm_exit
event kvmmmu/kvm_mmu_spte_requested
event kvmmmu/fast_page_fault
event kvmmmu/handle_mmio_page_fault
event kvmmmu/kvm_mmu_set_spte
# Intel always, AMD from 7.x: MMIO writes to an ioeventfd answered before
# kvm_mmu_page_fault; each is an MMIO fault of its own
event kvm/kvm_fast_mmio

# Fault-in of a backed gfn: normal faults. Fast-path faults never fault
# in a pfn and MMIO faults have no memslot: no memslot/HVA. Linux 6.1 .. 6.12:
# kvm_faultin_pfn -> __gfn_to_pfn_memslot(slot, gfn, ...), exported.
# 6.13 renamed x86's __kvm_faultin_pfn(vcpu, fault) to
# __kvm_mmu_faultin_pfn and gave the name to kvm_main.c's
# __kvm_faultin_pfn(slot, gfn, ...), which replaced __gfn_to_pfn_memslot.
# 6.13+: the fault itself, read where KVM picks between the VMM's page
# tables and a guest_memfd (whose faults never reach __kvm_faultin_pfn);
# __kvm_mmu_faultin_pfn is inlined into kvm_mmu_faultin_pfn on 6.18+.
memslot_probe __gfn_to_pfn_memslot  slot=$arg1 gfn=$arg2
memslot_probe __kvm_mmu_faultin_pfn fault=$arg2
memslot_probe kvm_mmu_faultin_pfn   fault=$arg2
memslot_probe __kvm_faultin_pfn     slot=$arg1 gfn=$arg2

# Functions that receive a memslot outside the fault-in: their records
# only teach the tool the VM's memslots (kvmmmu_graph/memslot_learn, one
# probe each). The fast path never faults in, but marks the page dirty
# through mark_page_dirty_in_slot(kvm, slot, gfn) (6.1 .. 7.x): a
# dirty-log fast fault on a slot that did not fault in since the tool
# started (attached to a running VM) gets its MEM_SLOTID/HVA from it.
memslot_learn mark_page_dirty_in_slot slot=$arg2 gfn=$arg3

# Why a fault was slow: the first rule that holds names it (cause in the
# JSON and per-fault lines, findings at the end). Functions of a rule
# match their .isra.N/.part.N/.constprop.N/.cold variants. Rules that
# need a call tree say "unknown" without one.
cause mmio         kind=mmio
cause dirty-log    kind=fast
cause userfaultfd  any=handle_userfault
cause swap-in      any=do_swap_page,swap_readpage,swap_read_folio,swapin_readahead
cause thp          any=do_huge_pmd_anonymous_page,__do_huge_pmd_anonymous_page,vma_alloc_anon_folio_pmd,clear_huge_page,folio_zero_user,do_huge_pmd_wp_page,__split_huge_pmd,split_huge_page_to_list,split_huge_page_to_list_to_order,try_to_compact_pages
cause guest-memfd  any=kvm_gmem_get_pfn,__kvm_gmem_get_pfn
cause page-cache   any=shmem_fault,shmem_get_folio_gfp,filemap_fault,__filemap_get_folio,filemap_get_folio
cause cow          any=do_wp_page,wp_page_copy
cause mmu-lock     lock=queued_write_lock_slowpath,queued_read_lock_slowpath,rwsem_down_read_slowpath,rwsem_down_write_slowpath lock_min_us=20
cause first-touch  any=do_anonymous_page,handle_mm_fault,__handle_mm_fault
cause huge-adjust  any=track_possible_nx_huge_page,account_huge_nx_page,account_nx_huge_page,tdp_mmu_split_huge_page
cause retry        kind=normal nomap

hint mmio         emulated device memory: use virtio devices with ioeventfd/vhost or KVM's in-kernel devices; see which GPAs fault (--json) and which device owns them
hint dirty-log    dirty logging (live migration, VGA): use the dirty ring (QEMU -accel kvm,dirty-ring-size=4096) or KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 with initially-set, and log only memory that must be
hint userfaultfd  userfaultfd (postcopy migration or a lazy-restore VMM): the VMM resolves these faults; check postcopy bandwidth
hint swap-in      guest memory was swapped out: give the host memory, lower vm.swappiness, or lock the guest (QEMU -overcommit mem-lock=on)
hint thp          huge page allocation or compaction on the fault path: reserve hugetlbfs pages (vm.nr_hugepages, QEMU -mem-path) or set transparent_hugepage/defrag to defer
hint guest-memfd  guest memory comes from a guest_memfd (confidential or gmem-only memslots), filled on first touch: populate it ahead (fallocate on the guest_memfd, KVM_PRE_FAULT_MEMORY) or back it with huge pages where the kernel allows
hint page-cache   guest memory is file- or shmem-backed and read in on first touch: pre-fault it (QEMU -mem-prealloc, MADV_POPULATE_WRITE) or back it with hugetlbfs
hint cow          copy-on-write of shared pages (KSM, fork): turn KSM merging off for the guest (QEMU -machine mem-merge=off)
hint mmu-lock     vCPUs wait for KVM's MMU lock: contention with dirty-log clearing, zapping or many vCPUs faulting at once; use the TDP MMU (kvm.tdp_mmu=1) and the dirty ring
hint first-touch  first-touch allocation of guest memory: back the guest with hugepages, pre-fault it (MADV_POPULATE_WRITE or KVM_PRE_FAULT_MEMORY) or pre-allocate (QEMU -mem-prealloc)
hint huge-adjust  NX huge pages split huge mappings (iTLB multihit mitigation): kvm.nx_huge_pages=off where the CPU is not affected, or tune kvm.nx_huge_pages_recovery_ratio
hint retry        faults returned without mapping (MMU-notifier invalidation, stale faults): host memory pressure, KSM, NUMA balancing or THP splitting invalidates guest mappings

# A cause becomes a finding from 5 % of fault time; the same GFN faulting
# more than 8 times within 100 ms on one vCPU is a stuck-vCPU finding.
findings min_share=5 stuck_count=8 stuck_window_ms=100

# Each word is written on its own: names a kernel lacks are skipped.
allow :mod:kvm
allow :mod:kvm_amd
allow :mod:kvm_intel
# KVM built in (CONFIG_KVM=y): :mod:kvm selects nothing, these do
allow kvm_mmu_* kvm_tdp_* kvm_faultin_pfn __kvm_faultin_pfn __kvm_mmu_faultin_pfn
allow kvm_follow_pfn __gfn_to_pfn_memslot kvm_vcpu_gfn_to_memslot kvm_gmem_get_pfn
allow fast_page_fault direct_map __direct_map is_page_fault_stale mmu_topup_memory_caches
allow tdp_mmu_* *_spte* handle_mmio_page_fault x86_emulate_instruction
allow kvm_arch_vcpu_pre_fault_memory kvm_arch_async_page_ready
allow paging64_* paging32_* ept_fetch ept_walk_addr_generic npf_interception handle_ept_violation
# GUP: 6.1..6.12 names, then 6.13+ (gup_fast_fallback, gup_fast)
allow hva_to_pfn* get_user_pages_fast_only get_user_pages_unlocked internal_get_user_pages_fast
allow lockless_pages_from_mm gup_fast_fallback gup_fast __get_user_pages handle_mm_fault
# the functions the cause rules look for
allow __handle_mm_fault do_anonymous_page do_swap_page do_wp_page handle_userfault
allow shmem_fault shmem_get_folio_gfp filemap_fault do_huge_pmd_anonymous_page
allow queued_write_lock_slowpath queued_read_lock_slowpath
